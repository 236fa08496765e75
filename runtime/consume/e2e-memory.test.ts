/**
 * End to end over the in-memory transport: generated-style publisher -> transport (with injected faults) ->
 * startConsumer -> pipeline -> handler. The delivery rules must hold under duplicates, crashes and reordering.
 */
import { describe, expect, it } from 'vitest';
import type { EventEnvelope, Runtime } from '../api.ts';
import { VirtualClock } from '../clock.ts';
import { MemoryIdempotencyStore } from '../idempotency/memory.ts';
import { createEventMetrics } from '../metrics.ts';
import { publishEvent } from '../publish.ts';
import { seededRandom } from '../random.ts';
import {
  type ProductCreated,
  product,
  productValidators,
  publicationSpec,
  subscriptionSpec,
  validateProductCreated,
} from '../test/support.ts';
import { randomFaults } from '../transports/memory-faults.ts';
import { MemoryTransport } from '../transports/memory.ts';
import { bind } from './bind.ts';
import { startConsumer } from './consumer.ts';

function world(seed: number) {
  const clock = new VirtualClock();
  const transport = new MemoryTransport({
    clock,
    seed,
    faults: randomFaults({ duplicate: 0.2, delay: 0.2, maxDelayMs: 2000, crashBeforeAck: 0.15 }),
  });
  const runtime: Runtime = {
    service: { name: 'search', version: '1.0.0' },
    transport,
    idempotency: new MemoryIdempotencyStore({ clock }),
    metrics: createEventMetrics(),
  };
  return { clock, transport, runtime };
}

describe('pipeline end to end (memory transport, faults injected)', () => {
  it.each([1, 2, 3])(
    'seed %i: each event is handled exactly once; invalid and failing ones end in the DLQ',
    async (seed) => {
      const { clock, transport, runtime } = world(seed);
      const effects = new Map<string, number>();
      const spec = subscriptionSpec({ concurrency: 4 });
      const failing = new Set(['p-13']);
      const binding = bind<ProductCreated>(spec, productValidators, async (event) => {
        if (failing.has(event.data.product_id)) throw new Error('downstream refused');
        effects.set(event.event_id, (effects.get(event.event_id) ?? 0) + 1);
      });
      const consumer = await startConsumer(runtime, [binding], {
        clock,
        jitter: { ratio: 0.2, random: seededRandom(seed) },
      });

      const published: EventEnvelope<ProductCreated>[] = [];
      for (let i = 0; i < 60; i++)
        published.push(await publishEvent(runtime, publicationSpec(), validateProductCreated, product(i)));
      // A producer bypassing validation (another stack): must be dead-lettered, never handled.
      await transport.publish([
        { ...transport.published[0]!, eventId: 'bad', body: Buffer.from('{"event_id": 1}') },
      ]);
      await transport.drain();

      const expected = published.filter((e) => !failing.has(e.data.product_id));
      expect([...effects.keys()].sort()).toEqual(expected.map((e) => e.event_id).sort());
      expect([...effects.values()].every((count) => count === 1)).toBe(true);
      // Injected duplicates of a dead-lettered event are dead-lettered too (a DLQ replay must not be deduped away).
      const deadLettered = new Set(transport.deadLetters.map((d) => `${d.reason}:${d.eventId}`));
      const failed = published.find((e) => failing.has(e.data.product_id))!;
      expect([...deadLettered].sort()).toEqual(['decode-error:bad', `retries-exhausted:${failed.event_id}`]);
      expect(
        transport.deadLetters.find((d) => d.reason === 'retries-exhausted')!.attempt,
      ).toBeGreaterThanOrEqual(4);
      expect(transport.faultLog.length).toBeGreaterThan(10);
      await consumer.stop();
    },
  );

  it('a follow-up event published from a handler inherits correlation and causation', async () => {
    const { clock, transport, runtime } = world(9);
    const followUps: EventEnvelope<ProductCreated>[] = [];
    const binding = bind<ProductCreated>(subscriptionSpec(), productValidators, async (event, context) => {
      if (event.data.product_id === 'p-0') {
        followUps.push(
          await publishEvent(
            runtime,
            publicationSpec(),
            validateProductCreated,
            product(100),
            context.follow,
          ),
        );
      }
    });
    const consumer = await startConsumer(runtime, [binding], { clock });
    const root = await publishEvent(runtime, publicationSpec(), validateProductCreated, product(0));
    await transport.drain();
    expect(followUps).toHaveLength(1);
    expect(followUps[0]!.metadata).toMatchObject({
      correlation_id: root.metadata.correlation_id,
      causation_id: root.event_id,
      traceparent: root.metadata.traceparent,
    });
    await consumer.stop();
  });

  it('stop() is graceful: the in-flight handler finishes and its delivery is acked', async () => {
    const transport = new MemoryTransport();
    const runtime: Runtime = {
      service: { name: 's', version: '1' },
      transport,
      idempotency: new MemoryIdempotencyStore(),
    };
    let finished = false;
    const binding = bind<ProductCreated>(subscriptionSpec(), productValidators, async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished = true;
    });
    const consumer = await startConsumer(runtime, [binding]);
    await publishEvent(runtime, publicationSpec(), validateProductCreated, product(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await consumer.stop();
    expect(finished).toBe(true);
    expect(transport.outcomes).toMatchObject([{ outcome: { kind: 'ack' } }]);
  });

  it('aborts handlers still running after the shutdown grace period', async () => {
    const transport = new MemoryTransport();
    const runtime: Runtime = {
      service: { name: 's', version: '1' },
      transport,
      idempotency: new MemoryIdempotencyStore(),
    };
    const binding = bind<ProductCreated>(
      subscriptionSpec(),
      productValidators,
      (_event, context) =>
        new Promise((_, reject) =>
          context.signal.addEventListener('abort', () => reject(context.signal.reason)),
        ),
    );
    const consumer = await startConsumer(runtime, [binding], { shutdownGraceMs: 30 });
    await publishEvent(runtime, publicationSpec(), validateProductCreated, product(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await consumer.stop();
    // Not the event's failure: a wait, which spends none of its retry budget.
    expect(transport.outcomes).toMatchObject([
      {
        outcome: {
          kind: 'retry',
          error: 'consumer stopped during the handler: consumer shutdown grace period elapsed',
          wait: true,
        },
      },
    ]);
  });

  it('refuses to start an ordered subscription without an ordering store, subscribing nothing', async () => {
    const transport = new MemoryTransport();
    const runtime: Runtime = {
      service: { name: 's', version: '1' },
      transport,
      idempotency: new MemoryIdempotencyStore(),
    };
    const ordered = subscriptionSpec({
      name: 'ordered',
      ordering: { keyPointer: '/product_id', sequencePointer: '/sequence', bufferTimeoutMs: 1000 },
    });
    const plain = bind(subscriptionSpec(), productValidators, async () => {});
    await expect(
      startConsumer(runtime, [plain, bind(ordered, productValidators, async () => {})]),
    ).rejects.toThrow(/declares ordering .* no ordering store/);
    await transport.publish([]);
    expect(transport.pending).toBe(0);
  });
});
