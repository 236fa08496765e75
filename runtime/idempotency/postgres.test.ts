import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventContext, EventEnvelope } from '../api.ts';
import { bind } from '../consume/bind.ts';
import { processDelivery } from '../consume/pipeline.ts';
import { createEnvelope, encodeEnvelope } from '../envelope.ts';
import { LeaseLostError } from '../errors.ts';
import {
  pgSchema,
  type ProductCreated,
  product,
  productValidators,
  subscriptionSpec,
} from '../test/support.ts';
import { idempotencyContract } from './contract.ts';
import { PostgresIdempotencyStore } from './postgres.ts';

let db: Awaited<ReturnType<typeof pgSchema>>;
beforeAll(async () => {
  db = await pgSchema('ew_idem');
  await new PostgresIdempotencyStore(db.pool).migrate();
  await db.pool.query('CREATE TABLE effects (event_id text NOT NULL, note text)');
});
afterAll(async () => {
  await db.drop();
});

idempotencyContract('PostgresIdempotencyStore', () => ({
  instances: (count) => Array.from({ length: count }, () => new PostgresIdempotencyStore(db.pool)),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));

const source = {
  eventType: 'catalog.product.created',
  version: '1.0',
  service: { name: 'catalog', version: '1' },
};
const context: EventContext = {
  subscription: 's',
  attempt: 1,
  signal: new AbortController().signal,
  follow: {},
};
const effects = async (eventId: string) =>
  Number((await db.pool.query('SELECT count(*) FROM effects WHERE event_id = $1', [eventId])).rows[0].count);
const markStatus = async (key: string) =>
  (await db.pool.query('SELECT status FROM processed_events WHERE idempotency_key = $1', [key])).rows[0]
    ?.status;

describe('PostgreSQL: mark and effect in one transaction', () => {
  it('a rolled-back handler rolls back its mark with its effect; the retry then commits both once', async () => {
    const store = new PostgresIdempotencyStore(db.pool);
    let fail = true;
    const handler = store.transactional<ProductCreated>(async (event, _context, client) => {
      await client.query('INSERT INTO effects VALUES ($1, $2)', [event.event_id, 'applied']);
      if (fail) throw new Error('constraint violated after the write');
    });
    const binding = bind(
      subscriptionSpec({
        idempotency: { key: '$message.header#/event_id', ttlMs: 60_000, store: 'postgres' },
      }),
      productValidators,
      handler,
    );
    const envelope = createEnvelope(source, product(1));
    const delivery = {
      id: '1',
      body: encodeEnvelope(envelope),
      headers: {},
      attempt: 1,
      source: binding.spec.source,
      address: 'a',
    };
    const key = `search:product-created:${envelope.event_id}`;

    expect(await processDelivery(delivery, binding, { idempotency: store })).toMatchObject({ kind: 'retry' });
    expect(await effects(envelope.event_id)).toBe(0);
    expect(await markStatus(key)).toBeUndefined(); // rolled back, then the claim released

    fail = false;
    expect(await processDelivery({ ...delivery, attempt: 2 }, binding, { idempotency: store })).toEqual({
      kind: 'ack',
    });
    expect(await processDelivery({ ...delivery, attempt: 3 }, binding, { idempotency: store })).toEqual({
      kind: 'ack',
    });
    expect(await effects(envelope.event_id)).toBe(1);
    expect(await markStatus(key)).toBe('done');
  });

  it('a late owner whose lease was taken over cannot commit its effect', async () => {
    const late = new PostgresIdempotencyStore(db.pool);
    const taker = new PostgresIdempotencyStore(db.pool);
    const key = `k:${randomUUID()}`;
    expect(await late.claim(key, 200)).toBe('claimed');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await taker.claim(key, 10_000)).toBe('claimed');
    const work = vi.fn(async (client: pg.PoolClient) =>
      client.query('INSERT INTO effects VALUES ($1, $2)', [key, 'late']),
    );
    await expect(late.withTransaction(key, 60_000, work)).rejects.toBeInstanceOf(LeaseLostError);
    expect(work).not.toHaveBeenCalled();
    const result = await taker.withTransaction(key, 60_000, async (client) => {
      await client.query('INSERT INTO effects VALUES ($1, $2)', [key, 'taker']);
      return 'ok';
    });
    expect(result).toEqual({ status: 'processed', value: 'ok' });
    expect(await effects(key)).toBe(1);
  });

  it('concurrent transactions on one key: the effect commits exactly once (row lock serialises them)', async () => {
    const key = `k:${randomUUID()}`;
    const stores = Array.from({ length: 6 }, () => new PostgresIdempotencyStore(db.pool));
    // No claims: the unclaimed path, as a handler wrapped without the pipeline would run.
    const results = await Promise.all(
      stores.map((store, i) =>
        store.withTransaction(key, 60_000, async (client) => {
          await client.query('INSERT INTO effects VALUES ($1, $2)', [key, `writer-${i}`]);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'processed')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'duplicate')).toHaveLength(5);
    expect(await effects(key)).toBe(1);
  });

  it('uses the delivery scope key, or the event id outside the pipeline', async () => {
    const store = new PostgresIdempotencyStore(db.pool);
    const handled: string[] = [];
    const handler = store.transactional<ProductCreated>(async (event) => void handled.push(event.event_id));
    const envelope: EventEnvelope<ProductCreated> = createEnvelope(source, product(2));
    await handler(envelope, context);
    await handler(envelope, context);
    expect(handled).toEqual([envelope.event_id]);
    expect(await markStatus(envelope.event_id)).toBe('done');
  });

  it('purges expired marks and claims', async () => {
    const store = new PostgresIdempotencyStore(db.pool);
    const key = `k:${randomUUID()}`;
    await store.claim(key, 10_000);
    await store.commit(key, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await markStatus(key)).toBeUndefined();
  });
});
