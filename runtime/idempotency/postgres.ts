/**
 * PostgreSQL idempotency store on a `processed_events` table, with the mark written in the handler's own
 * transaction so the business effect and the mark commit (or roll back) together.
 *
 * Usage in a handler (the pipeline claims first; the wrapper finishes the claim inside the transaction):
 *
 *   const store = new PostgresIdempotencyStore(pool, { schema: 'billing' });
 *   await store.migrate();
 *   const onPaymentCaptured = store.transactional<PaymentCaptured>(async (event, context, client) => {
 *     await client.query('UPDATE invoices SET paid = true WHERE id = $1', [event.data.invoice_id]);
 *   });
 *
 * Inside the transaction the mark is written first: `UPDATE ... SET status = 'done' WHERE key = $1 AND
 * claim_token = <ours>`. That row lock serialises every other attempt at the same key until we commit; if our
 * lease had expired and someone else re-claimed, the update matches nothing and the transaction is abandoned
 * before any effect. Guarantee: the effect commits at most once per key (while the mark is kept), even when
 * leases expire, consumers crash or deliveries race.
 */
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { EventContext, EventEnvelope, EventHandler } from '../api.ts';
import { currentDelivery } from '../consume/scope.ts';
import { IdempotencyKeyError, LeaseLostError } from '../errors.ts';
import { inTransaction, qualifiedTable, quoteIdent } from '../pg-sql.ts';
import {
  type ClaimResult,
  type CommitResult,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  type IdempotencyStore,
} from './store.ts';
import { idempotencySql } from './postgres-sql.ts';

/**
 * A statement about one key failed because of the key itself: SQLSTATE class 22 (data exception: a NUL byte,
 * a character the database encoding cannot hold) or 54 (program limit: a key too long for the index). Those are
 * bad input, dead-lettered at once (IdempotencyKeyError); any other error is an infrastructure failure.
 */
async function keyed<R>(query: Promise<R>): Promise<R> {
  try {
    return await query;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && /^(22|54)/.test(code)) {
      throw new IdempotencyKeyError(`PostgreSQL refused it (SQLSTATE ${code}: ${(error as Error).message})`, {
        cause: error,
      });
    }
    throw error;
  }
}

export interface PostgresIdempotencyOptions {
  readonly schema?: string;
  /** Default `processed_events`. */
  readonly table?: string;
}

export type TransactionalHandler<T> = (
  event: EventEnvelope<T>,
  context: EventContext,
  client: PoolClient,
) => Promise<void>;

export type TransactionResult<R> =
  | { readonly status: 'processed'; readonly value: R }
  | { readonly status: 'duplicate' };

export class PostgresIdempotencyStore implements IdempotencyStore {
  readonly kind = 'postgres' as const;
  readonly #pool: Pool;
  readonly #sql: ReturnType<typeof idempotencySql>;
  readonly #owned = new Map<string, string>();

  constructor(pool: Pool, options: PostgresIdempotencyOptions = {}) {
    this.#pool = pool;
    const table = options.table ?? 'processed_events';
    this.#sql = idempotencySql(qualifiedTable(table, options.schema), quoteIdent(`${table}_expires_at_idx`));
  }

  async migrate(): Promise<void> {
    await this.#pool.query(this.#sql.createTable);
    await this.#pool.query(this.#sql.createIndex);
  }

  async claim(key: string, leaseMs: number): Promise<ClaimResult> {
    const token = randomUUID();
    const { rows } = await keyed(
      this.#pool.query<{ claimed: boolean; status: string | null }>(this.#sql.claim, [key, token, leaseMs]),
    );
    const row = rows[0];
    if (row?.claimed) {
      this.#owned.set(key, token);
      return 'claimed';
    }
    return row?.status === 'done' ? 'duplicate' : 'in-progress';
  }

  async commit(key: string, ttlMs: number): Promise<CommitResult> {
    const token = this.#owned.get(key) ?? '';
    this.#owned.delete(key);
    const updated = await keyed(this.#pool.query(this.#sql.commit, [key, token, ttlMs]));
    if (updated.rowCount === 1) return 'committed';
    const inserted = await keyed(this.#pool.query(this.#sql.insertDone, [key, ttlMs]));
    return inserted.rowCount === 1 ? 'committed' : 'lease-lost';
  }

  async release(key: string): Promise<void> {
    const token = this.#owned.get(key);
    this.#owned.delete(key);
    if (token !== undefined) await keyed(this.#pool.query(this.#sql.release, [key, token]));
  }

  /**
   * Run `work` in a transaction that also marks `key` done. 'duplicate' (work not run) when the key is already
   * done; LeaseLostError when another consumer holds the key. Rolls back the mark with the work on error.
   */
  async withTransaction<R>(
    key: string,
    ttlMs: number,
    work: (client: PoolClient) => Promise<R>,
  ): Promise<TransactionResult<R>> {
    const token = this.#owned.get(key);
    return inTransaction(this.#pool, async (client) => {
      const marked =
        token !== undefined
          ? await client.query(this.#sql.markOwned, [key, token, ttlMs])
          : await client.query(this.#sql.markUnclaimed, [key, ttlMs]);
      if (marked.rowCount !== 1) {
        const { rows } = await client.query<{ status: string }>(this.#sql.status, [key]);
        if (rows[0]?.status === 'done') return { status: 'duplicate' as const };
        throw new LeaseLostError(key);
      }
      return { status: 'processed' as const, value: await work(client) };
    });
  }

  /** A handler that runs in a transaction with the mark; the key and TTL come from the delivery. */
  transactional<T>(handler: TransactionalHandler<T>): EventHandler<T> {
    return async (event, context) => {
      const scope = currentDelivery();
      const key = scope?.idempotencyKey ?? event.event_id;
      const ttlMs = scope?.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
      await this.withTransaction(key, ttlMs, (client) => handler(event, context, client));
    };
  }

  /** Delete marks past their TTL and claims past their lease; returns how many rows went. */
  async purgeExpired(): Promise<number> {
    const result = await this.#pool.query(this.#sql.purge);
    return result.rowCount ?? 0;
  }
}
