import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { DEAD_LETTER_HEADER } from '../headers.ts';
import type { Destination } from '../spec.ts';
import { subscriptionSpec } from '../test/support.ts';
import type { Delivery, OutgoingMessage, Outcome } from '../transport.ts';
import { type FaultInjector, randomFaults } from './memory-faults.ts';
import { topicMatches } from './memory-routing.ts';
import { MemoryTransport } from './memory.ts';

const topic: Destination = { kind: 'topic', pubsub: 'pubsub', topic: 'catalog.product.created' };

function message(n: number, destination: Destination = topic): OutgoingMessage {
  return {
    destination,
    eventId: `e${n}`,
    eventType: 't',
    body: Buffer.from(`body-${n}`),
    contentType: 'application/json',
    headers: { n: String(n) },
  };
}

function recorder(outcome: (delivery: Delivery) => Outcome = () => ({ kind: 'ack' })) {
  const seen: { body: string; attempt: number; at?: number }[] = [];
  return {
    seen,
    handler: async (delivery: Delivery) => {
      seen.push({ body: delivery.body.toString(), attempt: delivery.attempt });
      return outcome(delivery);
    },
  };
}

describe('MemoryTransport', () => {
  it('delivers in publish order to every subscription, competing consumers share one', async () => {
    const transport = new MemoryTransport();
    const a = recorder();
    const b1 = recorder();
    const b2 = recorder();
    await transport.subscribe(subscriptionSpec({ name: 'a' }), a.handler);
    await transport.subscribe(subscriptionSpec({ name: 'b' }), b1.handler);
    await transport.subscribe(subscriptionSpec({ name: 'b' }), b2.handler);
    await transport.publish([1, 2, 3, 4].map((n) => message(n)));
    await transport.drain();
    expect(a.seen.map((s) => s.body)).toEqual(['body-1', 'body-2', 'body-3', 'body-4']);
    expect([...b1.seen, ...b2.seen].map((s) => s.body).sort()).toEqual([
      'body-1',
      'body-2',
      'body-3',
      'body-4',
    ]);
    expect(b1.seen.length).toBe(2);
  });

  it('routes AMQP by exchange type and binding pattern', async () => {
    expect(topicMatches('email.#', 'email.verification.requested')).toBe(true);
    expect(topicMatches('email.#', 'email')).toBe(true);
    expect(topicMatches('email.*', 'email.a.b')).toBe(false);
    expect(topicMatches('*.created', 'order.created')).toBe(true);
    expect(topicMatches('#.created', 'catalog.product.created')).toBe(true);
    expect(topicMatches('subscription.*', 'email.x')).toBe(false);
    const transport = new MemoryTransport();
    const email = recorder();
    const source: Destination = {
      kind: 'amqp',
      exchange: 'smap.events',
      exchangeType: 'topic',
      routingKey: 'email.#',
      vhost: 'id',
    };
    await transport.subscribe(subscriptionSpec({ name: 'email', source }), email.handler);
    const to = (routingKey: string, vhost = 'id'): Destination => ({
      kind: 'amqp',
      exchange: 'smap.events',
      exchangeType: 'topic',
      routingKey,
      vhost,
    });
    await transport.publish([
      message(1, to('email.verification.requested')),
      message(2, to('subscription.created')),
      message(3, to('email.x', '/')),
    ]);
    await transport.drain();
    expect(email.seen.map((s) => s.body)).toEqual(['body-1']);
  });

  it('redelivers a retry after its delay with attempt + 1 (virtual clock)', async () => {
    const clock = new VirtualClock();
    const transport = new MemoryTransport({ clock });
    const r = recorder((d) =>
      d.attempt < 3 ? { kind: 'retry', delayMs: 1000 * d.attempt, error: 'x' } : { kind: 'ack' },
    );
    await transport.subscribe(subscriptionSpec(), r.handler);
    await transport.publish([message(1)]);
    await clock.advance(0);
    expect(r.seen.map((s) => s.attempt)).toEqual([1]);
    await clock.advance(999);
    expect(r.seen.map((s) => s.attempt)).toEqual([1]);
    await clock.advance(1);
    expect(r.seen.map((s) => s.attempt)).toEqual([1, 2]);
    await clock.advance(2000);
    expect(r.seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(transport.pending).toBe(0);
  });

  it('dead-letters to the dlq address as a topic, with reason headers', async () => {
    const transport = new MemoryTransport();
    await transport.subscribe(subscriptionSpec(), async () => ({
      kind: 'dead-letter',
      reason: 'invalid-payload',
      error: '/sku required',
    }));
    const dlq = recorder();
    await transport.subscribe(
      subscriptionSpec({
        name: 'dlq-reader',
        source: { kind: 'topic', pubsub: 'pubsub', topic: 'dlq.product-created' },
      }),
      dlq.handler,
    );
    let headers: Readonly<Record<string, string>> = {};
    await transport.subscribe(
      subscriptionSpec({
        name: 'dlq-headers',
        source: { kind: 'topic', pubsub: 'pubsub', topic: 'dlq.product-created' },
      }),
      async (d) => {
        headers = d.headers;
        return { kind: 'ack' };
      },
    );
    await transport.publish([message(1)]);
    await transport.drain();
    expect(transport.deadLetters).toMatchObject([
      { address: 'dlq.product-created', reason: 'invalid-payload', eventId: 'e1', attempt: 1 },
    ]);
    expect(dlq.seen.map((s) => s.body)).toEqual(['body-1']);
    expect(headers).toMatchObject({
      n: '1',
      [DEAD_LETTER_HEADER.reason]: 'invalid-payload',
      [DEAD_LETTER_HEADER.error]: '/sku required',
      [DEAD_LETTER_HEADER.subscription]: 'product-created',
      [DEAD_LETTER_HEADER.originalAddress]: 'catalog.product.created',
    });
  });

  it('honours concurrency per consumer', async () => {
    const transport = new MemoryTransport();
    let running = 0;
    let peak = 0;
    await transport.subscribe(subscriptionSpec({ concurrency: 3 }), async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return { kind: 'ack' };
    });
    await transport.publish(Array.from({ length: 12 }, (_, n) => message(n)));
    await transport.drain();
    expect(peak).toBe(3);
  });

  it('stop() lets in-flight deliveries finish and settle, then delivers nothing more to that consumer', async () => {
    const transport = new MemoryTransport();
    let finished = 0;
    const handle = await transport.subscribe(subscriptionSpec(), async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished++;
      return { kind: 'ack' };
    });
    await transport.publish([message(1), message(2)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await handle.stop();
    expect(finished).toBe(1);
    expect(transport.outcomes).toMatchObject([{ eventId: 'e1', outcome: { kind: 'ack' } }]);
    expect(transport.pending).toBe(1); // e2 waits for the next consumer of the group
    const next = recorder();
    await transport.subscribe(subscriptionSpec(), next.handler);
    await transport.drain();
    expect(next.seen.map((s) => s.body)).toEqual(['body-2']);
  });

  describe('fault injection', () => {
    it('fail-publish rejects the whole batch and stores nothing', async () => {
      const transport = new MemoryTransport({
        faults: { publish: (m) => ({ kind: m.eventId === 'e2' ? 'fail-publish' : 'pass' }) },
      });
      await expect(transport.publish([message(1), message(2)])).rejects.toThrow(
        /injected publish failure for event e2/,
      );
      expect(transport.published).toEqual([]);
      expect(transport.faultLog).toMatchObject([{ fault: 'fail-publish', eventId: 'e2' }]);
    });

    it('drop, duplicate and delay (reorder) per subscription', async () => {
      const clock = new VirtualClock();
      const faults: FaultInjector = {
        route: (m) =>
          m.eventId === 'e1'
            ? { kind: 'delay', ms: 500 }
            : m.eventId === 'e2'
              ? { kind: 'duplicate', copies: 2 }
              : m.eventId === 'e3'
                ? { kind: 'drop' }
                : { kind: 'pass' },
      };
      const transport = new MemoryTransport({ clock, faults });
      const r = recorder();
      await transport.subscribe(subscriptionSpec(), r.handler);
      await transport.publish([1, 2, 3, 4].map((n) => message(n)));
      await transport.drain();
      expect(r.seen.map((s) => s.body)).toEqual(['body-2', 'body-2', 'body-2', 'body-4', 'body-1']);
      expect(transport.faultLog.map((f) => f.fault)).toEqual(['delay', 'duplicate', 'drop']);
    });

    it('crash-before-ack redelivers with attempt + 1 even after an ack decision', async () => {
      let crashes = 2;
      const transport = new MemoryTransport({
        faults: { ack: () => ({ kind: crashes-- > 0 ? 'crash-before-ack' : 'pass' }) },
      });
      const r = recorder();
      await transport.subscribe(subscriptionSpec(), r.handler);
      await transport.publish([message(1)]);
      await transport.drain();
      expect(r.seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
      expect(transport.outcomes.map((o) => o.crashed)).toEqual([true, true, false]);
    });

    it('random faults are reproducible from the seed', async () => {
      const run = async (seed: number) => {
        const transport = new MemoryTransport({
          seed,
          clock: new VirtualClock(),
          faults: randomFaults({
            drop: 0.1,
            duplicate: 0.1,
            delay: 0.2,
            maxDelayMs: 50,
            crashBeforeAck: 0.1,
          }),
        });
        const r = recorder();
        await transport.subscribe(subscriptionSpec(), r.handler);
        await transport.publish(Array.from({ length: 100 }, (_, n) => message(n)));
        await transport.drain();
        return {
          faults: transport.faultLog.map((f) => `${f.fault}:${f.eventId}`),
          seen: r.seen.map((s) => `${s.body}@${s.attempt}`),
        };
      };
      const first = await run(42);
      expect(first.faults.length).toBeGreaterThan(20);
      expect(await run(42)).toEqual(first);
      expect(await run(43)).not.toEqual(first);
    });
  });
});
