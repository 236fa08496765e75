/**
 * PostgreSQL in a container, as the outbox and the PostgreSQL idempotency store meet it: password login through
 * the fault proxy, committed transactions surviving a crash restart and a clean one, and a reset connection
 * that the pool replaces. The runtime's PostgreSQL idempotency store claims and commits across the restart.
 */
import { PostgresIdempotencyStore } from 'eventwire/runtime';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../support/poll.ts';
import type { ContainerBroker } from '../broker.ts';
import { dockerEngine } from '../engine.ts';
import { startPostgres } from '../postgres.ts';

let broker: ContainerBroker;
let pool: pg.Pool;

beforeAll(async () => {
  broker = await startPostgres();
  pool = new pg.Pool({ connectionString: broker.url, max: 4, connectionTimeoutMillis: 10_000 });
  // A broken connection is taken out of the pool; the next query opens a new one.
  pool.on('error', () => undefined);
  await pool.query('CREATE TABLE ledger (id serial PRIMARY KEY, note text NOT NULL)');
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await broker?.[Symbol.asyncDispose]();
});

async function serverStartedAt(): Promise<string> {
  return (await pool.query<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t')).rows[0]!.t;
}

/** Runs `query` until the restarted server answers it: connections of the old server fail first. */
async function once<T extends pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<T>> {
  let result: pg.QueryResult<T> | undefined;
  await until(
    `PostgreSQL answers ${text}`,
    async () => {
      result = await pool.query<T>(text, values).catch(() => undefined);
      return result !== undefined;
    },
    30_000,
    100,
  );
  return result!;
}

describe('PostgreSQL in a container', () => {
  it('is ready when it answers a query, with no Docker health check running docker exec for its whole life', async () => {
    const inspect = await (await dockerEngine()).container.getById(broker.container.getId()).inspect();
    expect(inspect.Config.Healthcheck?.Test).toEqual(['NONE']);
    const client = new pg.Client({ connectionString: broker.url });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('refuses a wrong password: remote logins are authenticated as the official image sets them up', async () => {
    const wrong = new URL(broker.url);
    wrong.password = 'not-the-password';
    const client = new pg.Client({ connectionString: wrong.toString() });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
  });

  it.each(['crash', 'clean'] as const)(
    'a %s restart keeps every committed transaction and drops the uncommitted one',
    async (kind) => {
      await once('INSERT INTO ledger (note) VALUES ($1)', [`committed-${kind}`]);
      const open = await pool.connect();
      // The restart ends this session; the error is the expected outcome, not a failure of the test.
      open.on('error', () => undefined);
      await open.query('BEGIN');
      await open.query('INSERT INTO ledger (note) VALUES ($1)', [`uncommitted-${kind}`]);
      const before = await serverStartedAt();

      await broker.restart({ kind });
      open.release(true);

      const after = (await once<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t')).rows[0]!.t;
      expect(after).not.toBe(before);
      const notes = (await once<{ note: string }>('SELECT note FROM ledger')).rows.map((row) => row.note);
      expect(notes).toContain(`committed-${kind}`);
      expect(notes).not.toContain(`uncommitted-${kind}`);
    },
    90_000,
  );

  it('the PostgreSQL idempotency store keeps a committed mark across a crash restart', async () => {
    const store = new PostgresIdempotencyStore(pool);
    await once('SELECT 1');
    await store.migrate();
    expect(await store.claim('order-1', 60_000)).toBe('claimed');
    expect(await store.commit('order-1', 3_600_000)).toBe('committed');
    await broker.restart({ kind: 'crash' });
    await once('SELECT 1');
    expect(await store.claim('order-1', 60_000)).toBe('duplicate');
  }, 90_000);

  it('reset_peer breaks the open connections; the pool opens new ones once it is gone', async () => {
    await once('SELECT 1');
    const resetBefore = broker.proxy.stats.reset;
    broker.proxy.addToxic('reset', { type: 'reset_peer', timeoutMs: 0 });
    await expect(pool.query('SELECT 1')).rejects.toThrow();
    expect(broker.proxy.stats.reset).toBeGreaterThan(resetBefore);
    broker.proxy.removeToxic('reset');
    expect((await once<{ n: number }>('SELECT 1 AS n')).rows[0]!.n).toBe(1);
  }, 60_000);
});
