/**
 * Hostile input against the PostgreSQL idempotency store: a key PostgreSQL cannot hold is bad input, dead-lettered
 * at once; a store that fails spends the retry budget like any failure, so the event still reaches an end.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bind } from '../consume/bind.ts';
import { processDelivery } from '../consume/pipeline.ts';
import { createEnvelope, encodeEnvelope } from '../envelope.ts';
import { IdempotencyKeyError } from '../errors.ts';
import {
  pgSchema,
  type ProductCreated,
  product,
  productValidators,
  subscriptionSpec,
} from '../test/support.ts';
import type { Delivery, Outcome } from '../transport.ts';
import { PostgresIdempotencyStore } from './postgres.ts';
import type { IdempotencyStore } from './store.ts';

let db: Awaited<ReturnType<typeof pgSchema>>;
beforeAll(async () => {
  db = await pgSchema('ew_idem_hostile');
  await new PostgresIdempotencyStore(db.pool).migrate();
});
afterAll(async () => {
  await db.drop();
});

const source = {
  eventType: 'catalog.product.created',
  version: '1.0',
  service: { name: 'catalog', version: '1' },
};
const spec = subscriptionSpec({
  idempotency: { key: '$message.header#/event_id', ttlMs: 60_000, store: 'postgres' },
});

function delivery(body: Buffer | string, attempt: number): Delivery {
  return { id: '1', body: Buffer.from(body), headers: {}, attempt, source: spec.source, address: 'a' };
}

describe('PostgreSQL idempotency store: hostile keys', () => {
  it('refuses a key PostgreSQL cannot store as an IdempotencyKeyError, not a retryable failure', async () => {
    const store = new PostgresIdempotencyStore(db.pool);
    await expect(store.claim('search:product-created:evt\u00001', 10_000)).rejects.toThrow(
      IdempotencyKeyError,
    );
    await expect(store.claim('search:product-created:evt\u00001', 10_000)).rejects.toThrow(/SQLSTATE 22021/);
    // Longer than a btree index entry can be (incompressible, so TOAST cannot shrink it).
    const long = `search:product-created:${randomBytes(6_000).toString('hex')}`;
    await expect(store.claim(long, 10_000)).rejects.toThrow(/SQLSTATE 54000/);
  });

  it('dead-letters an event whose key the store refuses at once, and an id with NUL never reaches it', async () => {
    const store = new PostgresIdempotencyStore(db.pool);
    const handler = vi.fn(async () => {});
    const binding = bind<ProductCreated>(spec, productValidators, handler);
    const envelope = createEnvelope(source, product(1));
    const nul = JSON.stringify({ ...envelope, event_id: 'evt\u00001' });
    expect(await processDelivery(delivery(nul, 1), binding, { idempotency: store })).toMatchObject({
      kind: 'dead-letter',
      reason: 'decode-error',
    });
    // A key the runtime's own checks let through but the database cannot hold: refused by PostgreSQL, then
    // dead-lettered invalid-payload on the first delivery.
    const tooLongForIndex: IdempotencyStore = {
      kind: 'postgres',
      claim: () => store.claim(`k:${randomBytes(6_000).toString('hex')}`, 1_000),
      commit: (key, ttlMs) => store.commit(key, ttlMs),
      release: (key) => store.release(key),
    };
    const refused = await processDelivery(delivery(encodeEnvelope(envelope), 1), binding, {
      idempotency: tooLongForIndex,
    });
    expect(refused).toMatchObject({ kind: 'dead-letter', reason: 'invalid-payload' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('a store that keeps failing spends the retry budget: the event is dead-lettered after maxRetries + 1', async () => {
    // Not migrated in this schema: every statement fails, as during an outage or a broken deployment.
    const broken = await pgSchema('ew_idem_broken');
    try {
      const store = new PostgresIdempotencyStore(broken.pool);
      const binding = bind<ProductCreated>(spec, productValidators, async () => {});
      const body = encodeEnvelope(createEnvelope(source, product(1)));
      const outcomes: Outcome[] = [];
      for (let attempt = 1; attempt <= 4; attempt++) {
        outcomes.push(await processDelivery(delivery(body, attempt), binding, { idempotency: store }));
      }
      expect(outcomes.map((o) => o.kind)).toEqual(['retry', 'retry', 'retry', 'dead-letter']);
      expect(outcomes[3]).toMatchObject({
        reason: 'retries-exhausted',
        error: expect.stringMatching(
          /^attempt 4: pipeline error: relation "processed_events" does not exist/,
        ),
      });
    } finally {
      await broken.drop();
    }
  });
});
