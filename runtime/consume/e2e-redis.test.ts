/**
 * End to end with the real Redis idempotency store: two consumer instances (separate connections and
 * stores) compete for one subscription while the transport duplicates deliveries and crashes before acks.
 * Every event's effect must happen exactly once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../api.ts';
import { RedisIdempotencyStore } from '../idempotency/redis.ts';
import { publishMany } from '../publish-many.ts';
import {
  deleteKeys,
  type ProductCreated,
  product,
  productValidators,
  publicationSpec,
  redisClient,
  subscriptionSpec,
  uniqueName,
  validateProductCreated,
} from '../test/support.ts';
import { randomFaults } from '../transports/memory-faults.ts';
import { MemoryTransport } from '../transports/memory.ts';
import { bind } from './bind.ts';
import { startConsumer } from './consumer.ts';

const prefix = `${uniqueName('ew:e2e')}:`;
const connections = [redisClient(), redisClient()];
afterAll(async () => {
  await deleteKeys(connections[0]!, prefix);
  for (const connection of connections) connection.disconnect();
});

describe('pipeline end to end with the Redis idempotency store', () => {
  it('two instances, duplicates and crashes: every effect exactly once, duplicates acked', async () => {
    const transport = new MemoryTransport({
      seed: 7,
      faults: randomFaults({ duplicate: 0.3, crashBeforeAck: 0.2, delay: 0.1, maxDelayMs: 20 }),
    });
    const spec = subscriptionSpec({
      concurrency: 8,
      idempotency: { key: '$message.header#/event_id', ttlMs: 60_000, store: 'redis' },
    });
    const effects = new Map<string, number>();
    const instance = async (index: number) => {
      const runtime: Runtime = {
        service: { name: 'search', version: '1.0.0' },
        transport,
        idempotency: new RedisIdempotencyStore(connections[index]!, { prefix }),
      };
      const binding = bind<ProductCreated>(spec, productValidators, async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 1 + (event.data.price % 3)));
        effects.set(event.event_id, (effects.get(event.event_id) ?? 0) + 1);
      });
      return startConsumer(runtime, [binding]);
    };
    const consumers = [await instance(0), await instance(1)];
    const publisher: Runtime = {
      service: { name: 'catalog', version: '1' },
      transport,
      idempotency: new RedisIdempotencyStore(connections[0]!, { prefix }),
    };
    const envelopes = await publishMany(
      publisher,
      publicationSpec(),
      validateProductCreated,
      Array.from({ length: 200 }, (_, i) => product(i)),
    );
    await transport.drain();

    expect(effects.size).toBe(200);
    expect([...effects.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(effects.keys())).toEqual(new Set(envelopes.map((e) => e.event_id)));
    const delivered = transport.outcomes.length;
    expect(delivered).toBeGreaterThan(240); // duplicates and crash redeliveries really happened
    expect(transport.deadLetters).toEqual([]);
    const marks = await connections[0]!.keys(`${prefix}search:product-created:*`);
    expect(marks).toHaveLength(200);
    expect(await connections[0]!.get(marks[0]!)).toMatch(/^d:/);
    await Promise.all(consumers.map((consumer) => consumer.stop()));
  });
});
