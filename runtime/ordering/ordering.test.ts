import { afterAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../api.ts';
import { type Clock, systemClock, VirtualClock } from '../clock.ts';
import { startConsumer } from '../consume/consumer.ts';
import { bind } from '../consume/bind.ts';
import { MemoryIdempotencyStore } from '../idempotency/memory.ts';
import { publishEvent } from '../publish.ts';
import type { ProductCreated } from '../test/support.ts';
import {
  deleteKeys,
  product,
  productValidators,
  publicationSpec,
  redisClient,
  subscriptionSpec,
  uniqueName,
  validateProductCreated,
} from '../test/support.ts';
import { MemoryTransport } from '../transports/memory.ts';
import { OrderingGuard } from './guard.ts';
import { MemoryOrderingStore } from './memory.ts';
import { RedisOrderingStore } from './redis.ts';
import type { OrderingStore } from './store.ts';

const ordering = { keyPointer: '/product_id', sequencePointer: '/sequence', bufferTimeoutMs: 300_000 };

interface OrderedOptions {
  readonly store?: OrderingStore;
  readonly concurrency?: number;
  readonly fail?: (sequence: number) => boolean;
  /** Tests doing real I/O use the system clock: a virtual clock would race ahead of the network. */
  readonly clock?: Clock;
}

async function orderedConsumer(options: OrderedOptions = {}) {
  const clock = options.clock ?? new VirtualClock();
  const transport = new MemoryTransport({ clock });
  const runtime: Runtime = {
    service: { name: 'search', version: '1.0.0' },
    transport,
    idempotency: new MemoryIdempotencyStore({ clock }),
    ordering: options.store ?? new MemoryOrderingStore(),
  };
  const handled: string[] = [];
  const spec = subscriptionSpec({ ordering, concurrency: options.concurrency ?? 8 });
  const binding = bind<ProductCreated>(spec, productValidators, async (event) => {
    if (options.fail?.(event.data.sequence!)) throw new Error(`fail ${event.data.sequence}`);
    handled.push(`${event.data.product_id}#${event.data.sequence}`);
  });
  const consumer = await startConsumer(runtime, [binding], { clock });
  const publish = (id: number, sequence: number) =>
    publishEvent(runtime, publicationSpec(), validateProductCreated, product(id, { sequence }));
  const advance = (ms: number) => {
    if (!(clock instanceof VirtualClock)) throw new Error('advance() needs the virtual clock');
    return clock.advance(ms);
  };
  return { advance, transport, handled, consumer, publish, runtime };
}

describe('ordering guard in the pipeline', () => {
  it('holds an event ahead of its predecessor (not acked) and releases it in order', async () => {
    const { advance, transport, handled, publish } = await orderedConsumer();
    await publish(1, 1);
    await publish(1, 3);
    await publish(1, 4);
    await advance(10_000);
    expect(handled).toEqual(['p-1#1']);
    // Held deliveries are still running: no outcome (no ack) for sequences 3 and 4 yet.
    expect(transport.outcomes.map((o) => o.outcome.kind)).toEqual(['ack']);
    await publish(1, 2);
    await transport.drain();
    expect(handled).toEqual(['p-1#1', 'p-1#2', 'p-1#3', 'p-1#4']);
    expect(transport.deadLetters).toEqual([]);
  });

  it('with concurrency 1, hands an early event back (retry, never acked) instead of blocking its predecessor', async () => {
    const { transport, handled, publish } = await orderedConsumer({ concurrency: 1 });
    await publish(1, 2);
    await publish(1, 1);
    await transport.drain();
    expect(handled).toEqual(['p-1#1', 'p-1#2']);
    expect(transport.outcomes.map((o) => o.outcome.kind)).toEqual(['retry', 'ack', 'ack']);
    expect(transport.outcomes[0]!.outcome).toMatchObject({ error: "waiting for sequence 1 of key 'p-1'" });
  });

  it('with concurrency 1, the buffer deadline survives redeliveries and ends in ordering-timeout', async () => {
    const { transport, handled, publish } = await orderedConsumer({ concurrency: 1 });
    await publish(1, 3);
    await transport.drain();
    expect(handled).toEqual([]);
    expect(transport.deadLetters).toMatchObject([{ reason: 'ordering-timeout' }]);
    // Handed back many times, each a wait: none of them spent the event's retry budget.
    const handedBack = transport.outcomes.filter((o) => o.outcome.kind === 'retry');
    expect(handedBack.length).toBeGreaterThan(3);
    expect(handedBack.every((o) => o.outcome.kind === 'retry' && o.outcome.wait)).toBe(true);
    expect(transport.deadLetters[0]!.attempt).toBe(1);
  });

  it('keeps keys independent', async () => {
    const { transport, handled, publish } = await orderedConsumer();
    await publish(1, 2);
    await publish(2, 1);
    await publish(1, 1);
    await transport.drain();
    expect(handled).toEqual(['p-2#1', 'p-1#1', 'p-1#2']);
  });

  it('acks and drops a stale repeat (sequence <= last processed)', async () => {
    const { transport, handled, publish } = await orderedConsumer();
    await publish(1, 1);
    await publish(1, 2);
    await transport.drain();
    await publish(1, 1); // a new event id with an old sequence: stale, not a duplicate id
    await transport.drain();
    expect(handled).toEqual(['p-1#1', 'p-1#2']);
    expect(transport.outcomes.map((o) => o.outcome.kind)).toEqual(['ack', 'ack', 'ack']);
  });

  it('dead-letters a held event with ordering-timeout after bufferTimeoutMs', async () => {
    const { advance, transport, handled, publish } = await orderedConsumer();
    await publish(1, 2);
    await advance(299_999);
    expect(transport.deadLetters).toEqual([]);
    await advance(1_001);
    expect(transport.deadLetters).toMatchObject([{ reason: 'ordering-timeout', attempt: 1 }]);
    expect(transport.deadLetters[0]!.error).toContain('sequence 2');
    expect(handled).toEqual([]);
  });

  it('keeps successors held while the predecessor is retried, then releases them', async () => {
    let failures = 2;
    const { transport, handled, publish } = await orderedConsumer({
      fail: (sequence) => sequence === 1 && failures-- > 0,
    });
    await publish(1, 1);
    await publish(1, 2);
    await transport.drain();
    expect(handled).toEqual(['p-1#1', 'p-1#2']);
    expect(transport.outcomes.filter((o) => o.outcome.kind === 'retry')).toHaveLength(2);
  });

  it('hands held events back (retry, not ack) when the consumer stops', async () => {
    const { advance, transport, consumer, publish } = await orderedConsumer();
    await publish(1, 5);
    await advance(10);
    await consumer.stop();
    expect(transport.outcomes).toMatchObject([
      { outcome: { kind: 'retry', error: 'consumer stopping while event held' } },
    ]);
  });

  it('wakes a held event when another instance advances the shared store (poll)', async () => {
    const clock = new VirtualClock();
    const store = new MemoryOrderingStore();
    const guard = new OrderingGuard(store, { namespace: 'svc:sub', clock, pollIntervalMs: 1000 });
    const waiting = guard.waitForTurn({ key: 'k', sequence: 2 }, clock.now() + 60_000);
    await clock.advance(10);
    expect(guard.held).toBe(1);
    await store.advance('svc:sub:k', 1); // another instance, no local notification
    await clock.advance(1000);
    expect(await waiting).toBe('ready');
    expect(guard.held).toBe(0);
  });
});

describe('RedisOrderingStore', () => {
  const redis = redisClient();
  const prefix = `${uniqueName('ew:seq')}:`;
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('only moves forward, atomically, across concurrent writers', async () => {
    const store = new RedisOrderingStore(redis, { prefix });
    expect(await store.last('order-1')).toBeNull();
    const sequences = Array.from({ length: 200 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    const others = Array.from({ length: 4 }, () => redisClient());
    await Promise.all(
      sequences.map((sequence, i) =>
        new RedisOrderingStore(others[i % 4]!, { prefix }).advance('order-1', sequence),
      ),
    );
    for (const other of others) other.disconnect();
    expect(await store.last('order-1')).toBe(200);
    expect(await store.advance('order-1', 150)).toBe(false);
    expect(await store.last('order-1')).toBe(200);
    expect(await store.advance('order-1', 201)).toBe(true);
    expect(await redis.pttl(`${prefix}order-1`)).toBeGreaterThan(0);
  });

  it('drives the pipeline guard like the memory store', async () => {
    const store = new RedisOrderingStore(redis, { prefix });
    const { transport, handled, publish, consumer } = await orderedConsumer({ store, clock: systemClock });
    await publish(7, 2);
    await publish(7, 1);
    await transport.drain();
    expect(handled).toEqual(['p-7#1', 'p-7#2']);
    expect(await store.last('search:product-created:p-7')).toBe(2);
    await consumer.stop();
  });
});
