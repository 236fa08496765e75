import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../api.ts';
import { bind } from '../consume/bind.ts';
import { startConsumer } from '../consume/consumer.ts';
import { createEnvelope } from '../envelope.ts';
import { PayloadValidationError } from '../errors.ts';
import { RedisIdempotencyStore } from '../idempotency/redis.ts';
import {
  DATABASE_URL,
  decodeBody,
  deleteKeys,
  pgSchema,
  type ProductCreated,
  product,
  productValidators,
  publicationSpec,
  redisClient,
  subscriptionSpec,
  uniqueName,
  until,
  validateProductCreated,
} from '../test/support.ts';
import { MemoryTransport } from '../transports/memory.ts';
import { enqueue, enqueueEvent, migrateOutbox } from './enqueue.ts';
import { OutboxRelay } from './relay.ts';

let db: Awaited<ReturnType<typeof pgSchema>>;
const redis = redisClient();
const prefix = `${uniqueName('ew:outbox')}:`;
const topic = { kind: 'topic' as const, pubsub: 'pubsub', topic: 'catalog.product.created' };
const source = {
  eventType: 'catalog.product.created',
  version: '1.0',
  service: { name: 'catalog', version: '1' },
};

beforeAll(async () => {
  db = await pgSchema('ew_outbox');
  await migrateOutbox(db.pool);
});
afterAll(async () => {
  await db.drop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

async function inTx(work: (client: pg.PoolClient) => Promise<void>, commit = true) {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
  } finally {
    client.release();
  }
}
const unpublished = async () =>
  Number(
    (await db.pool.query('SELECT count(*) FROM eventwire_outbox WHERE published_at IS NULL')).rows[0].count,
  );
const clear = () => db.pool.query('DELETE FROM eventwire_outbox');

describe('transactional outbox', () => {
  it('a rolled-back transaction leaves no outbox row; a committed one leaves exactly one', async () => {
    await clear();
    await inTx(
      async (client) => void (await enqueue(client, createEnvelope(source, product(1)), topic)),
      false,
    );
    expect(await unpublished()).toBe(0);
    await inTx(async (client) => void (await enqueue(client, createEnvelope(source, product(2)), topic)));
    expect(await unpublished()).toBe(1);
  });

  it('enqueueEvent applies the publish rules (validation) inside the transaction', async () => {
    const runtime = { service: { name: 'catalog', version: '1' } } as Runtime;
    await clear();
    await inTx(async (client) => {
      await enqueueEvent(client, runtime, publicationSpec(), validateProductCreated, product(3));
      await expect(
        enqueueEvent(client, runtime, publicationSpec(), validateProductCreated, {
          sku: 'x',
        } as unknown as ProductCreated),
      ).rejects.toBeInstanceOf(PayloadValidationError);
    }, true);
    expect(await unpublished()).toBe(1);
  });

  it('the relay publishes in id order across transactions and marks rows published', async () => {
    await clear();
    const expected: string[] = [];
    for (let tx = 0; tx < 5; tx++) {
      await inTx(async (client) => {
        for (let i = 0; i < 7; i++) {
          const envelope = createEnvelope(source, product(tx * 10 + i));
          expected.push(envelope.event_id);
          await enqueue(client, envelope, topic, { orderingKey: `p-${tx}` });
        }
      });
    }
    const transport = new MemoryTransport();
    const relay = new OutboxRelay({ pool: db.pool, transport, batchSize: 10 });
    let total = 0;
    for (let round = 0; round < 10; round++) total += await relay.runOnce();
    expect(total).toBe(35);
    expect(transport.published.map((m) => m.eventId)).toEqual(expected);
    expect(transport.published.map((m) => decodeBody(m.body).event_id)).toEqual(expected);
    expect(transport.published[0]).toMatchObject({
      destination: topic,
      contentType: 'application/json',
      orderingKey: 'p-0',
    });
    expect(await unpublished()).toBe(0);
  });

  it('only one relay publishes at a time (relay lock), so two relays cannot interleave batches', async () => {
    await clear();
    await inTx(async (client) => {
      for (let i = 0; i < 40; i++) await enqueue(client, createEnvelope(source, product(i)), topic);
    });
    const transport = new MemoryTransport();
    let entered!: () => void;
    const publishing = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let calls = 0;
    // The first relay's publish blocks until the second relay has had its try.
    const gated = Object.assign(Object.create(transport) as MemoryTransport, {
      publish: async (messages: Parameters<MemoryTransport['publish']>[0]) => {
        if (calls++ === 0) {
          entered();
          await gate;
        }
        return transport.publish(messages);
      },
    });
    const first = new OutboxRelay({ pool: db.pool, transport: gated, batchSize: 10 }).runOnce();
    await publishing;
    expect(await new OutboxRelay({ pool: db.pool, transport: gated, batchSize: 10 }).runOnce()).toBe(0);
    open();
    expect(await first).toBe(10);
    expect(transport.published).toHaveLength(10);
  });

  it('crash after publish, before mark: the event is published again on restart and the consumer dedupes it', async () => {
    await clear();
    const transport = new MemoryTransport();
    const handled: string[] = [];
    const runtime: Runtime = {
      service: { name: 'search', version: '1' },
      transport,
      idempotency: new RedisIdempotencyStore(redis, { prefix }),
    };
    const consumer = await startConsumer(runtime, [
      bind<ProductCreated>(
        subscriptionSpec(),
        productValidators,
        async (event) => void handled.push(event.event_id),
      ),
    ]);
    const envelope = createEnvelope(source, product(1));
    await inTx(async (client) => void (await enqueue(client, envelope, topic)));

    // The relay "dies": its database session is killed after the broker accepted the batch.
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    const crashing = new OutboxRelay({
      pool: db.pool,
      transport,
      afterPublish: async (_ids, client) => {
        const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow();
    await admin.end();
    expect(await unpublished()).toBe(1);

    const restarted = new OutboxRelay({ pool: db.pool, transport });
    expect(await restarted.runOnce()).toBe(1);
    await until(() => transport.outcomes.length === 2, 10_000, 'both deliveries settled');
    expect(transport.published.map((m) => m.eventId)).toEqual([envelope.event_id, envelope.event_id]);
    expect(handled).toEqual([envelope.event_id]);
    expect(transport.outcomes.map((o) => o.outcome.kind)).toEqual(['ack', 'ack']);
    expect(await unpublished()).toBe(0);
    const attempts = (await db.pool.query('SELECT attempts, last_error FROM eventwire_outbox')).rows[0];
    expect(attempts.attempts).toBe(2);
    await consumer.stop();
  });

  it('start()/stop() relays continuously and purges old published rows', async () => {
    await clear();
    const transport = new MemoryTransport();
    const relay = new OutboxRelay({ pool: db.pool, transport, pollIntervalMs: 20 });
    relay.start();
    await inTx(async (client) => void (await enqueue(client, createEnvelope(source, product(1)), topic)));
    await until(() => transport.published.length === 1, 10_000, 'relay to publish');
    await relay.stop();
    expect(await relay.purgePublished(0)).toBe(1);
  });
});
