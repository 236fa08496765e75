/**
 * The outbox relay: moves committed outbox rows to the broker, oldest first.
 *
 * Each round, in one transaction: take the relay lock (one active relay, so order holds), claim up to
 * `batchSize` unpublished rows by id with FOR UPDATE SKIP LOCKED, publish them through the transport, mark
 * them published, commit. A crash after the broker accepted the batch but before the commit leaves the rows
 * unpublished, so they are published again after restart: delivery is at least once, and consumers dedupe by
 * event_id through their idempotency store.
 */
import type { Pool, PoolClient } from 'pg';
import { type Clock, sleep, systemClock } from '../clock.ts';
import { errorMessage } from '../errors.ts';
import { inTransaction } from '../pg-sql.ts';
import type { Destination } from '../spec.ts';
import type { OutgoingMessage, Transport } from '../transport.ts';
import { type OutboxRow, type OutboxTableOptions, outboxSql } from './sql.ts';

export interface OutboxRelayOptions extends OutboxTableOptions {
  readonly pool: Pool;
  readonly transport: Transport;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  /** Take the relay lock so only one relay publishes at a time (default true: preserves order). */
  readonly exclusive?: boolean;
  readonly clock?: Clock;
  readonly onError?: (error: unknown) => void;
  /** Fault-injection point: after the broker accepted the batch, before the rows are marked published. */
  readonly afterPublish?: (ids: readonly string[], client: PoolClient) => Promise<void>;
}

export class OutboxRelay {
  readonly #options: OutboxRelayOptions;
  readonly #sql: ReturnType<typeof outboxSql>;
  readonly #clock: Clock;
  #running: Promise<void> | undefined;
  #stopping: AbortController | undefined;

  constructor(options: OutboxRelayOptions) {
    this.#options = options;
    this.#sql = outboxSql(options);
    this.#clock = options.clock ?? systemClock;
  }

  /** One relay round; returns how many rows were published (0 when none were waiting or another relay ran). */
  async runOnce(): Promise<number> {
    const { pool, transport } = this.#options;
    let claimedIds: string[] = [];
    try {
      return await inTransaction(pool, async (client) => {
        if (this.#options.exclusive ?? true) {
          const { rows } = await client.query<{ locked: boolean }>(this.#sql.tryLock, [this.#sql.lockName]);
          if (!rows[0]?.locked) return 0;
        }
        const { rows } = await client.query<OutboxRow>(this.#sql.claim, [this.#options.batchSize ?? 100]);
        if (rows.length === 0) return 0;
        claimedIds = rows.map((row) => row.id);
        await transport.publish(rows.map(toMessage));
        await this.#options.afterPublish?.(claimedIds, client);
        await client.query(this.#sql.markPublished, [claimedIds]);
        return rows.length;
      });
    } catch (error) {
      if (claimedIds.length > 0) {
        // Best effort, outside the failed transaction: lets operators see stuck rows and why.
        await pool.query(this.#sql.recordFailure, [claimedIds, errorMessage(error)]).catch(() => undefined);
      }
      throw error;
    }
  }

  /** Relay continuously until `stop()`; a full batch is followed at once by the next round. */
  start(): void {
    if (this.#running) return;
    const stopping = new AbortController();
    this.#stopping = stopping;
    this.#running = (async () => {
      const interval = this.#options.pollIntervalMs ?? 250;
      while (!stopping.signal.aborted) {
        let published = 0;
        try {
          published = await this.runOnce();
        } catch (error) {
          this.#options.onError?.(error);
        }
        if (published < (this.#options.batchSize ?? 100)) {
          await sleep(this.#clock, interval, stopping.signal).catch(() => undefined);
        }
      }
    })();
  }

  /** Finish the current round, then stop. */
  async stop(): Promise<void> {
    this.#stopping?.abort();
    await this.#running;
    this.#running = undefined;
  }

  /** Delete rows published more than `olderThanMs` ago. */
  async purgePublished(olderThanMs: number): Promise<number> {
    const result = await this.#options.pool.query(this.#sql.purgePublished, [olderThanMs]);
    return result.rowCount ?? 0;
  }
}

function toMessage(row: OutboxRow): OutgoingMessage {
  return {
    destination: row.destination as Destination,
    eventId: row.event_id,
    eventType: row.event_type,
    body: row.body,
    contentType: row.content_type,
    headers: row.headers,
    ...(row.ordering_key !== null ? { orderingKey: row.ordering_key } : {}),
  };
}
