/**
 * The run's own PostgreSQL, for a handlers module's `createHarnessDeps`: a pool whose every connection works in
 * the run's schema (`search_path`), so a service's tables are created fresh per run, outlive a crashed consumer
 * the way a real database does, and vanish with the run. On memory brokers, or without PostgreSQL, there is no
 * database: the module falls back to its in-memory stores.
 */
import pg from 'pg';
import type { HarnessDepsContext } from '../engine/types.ts';

export interface RunDatabase extends AsyncDisposable {
  readonly pool: pg.Pool;
  /** The run's schema: every unqualified table name resolves here. */
  readonly schema: string;
  /**
   * Runs a service's `CREATE TABLE IF NOT EXISTS ...` statements in the run's schema, serialised by an advisory
   * lock: the run's consumer processes start together, and two concurrent `CREATE TABLE IF NOT EXISTS` of one
   * table can still collide in PostgreSQL's catalog (a unique violation on pg_type).
   */
  ensureTables(ddl: string): Promise<void>;
}

/**
 * The schema names the broker modes make: letters, digits and underscores, in either case (the local mode keeps
 * the operation's name, `ew_test_order_onCartCheckedOut_0_d089b5`), always quoted in `search_path`.
 */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function runDatabase(context: HarnessDepsContext): Promise<RunDatabase | undefined> {
  const url = context.endpoints.databaseUrl;
  const schema = context.isolation?.pgSchema;
  if (context.mode === 'memory' || !url || !schema) return undefined;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`run schema '${schema}' is not a plain identifier`);
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path="${schema}"` });
  // A broken connection (the container restarted, say) must not crash the consumer process: the next query
  // gets a new one, or fails and the delivery is retried.
  pool.on('error', () => undefined);
  return {
    pool,
    schema,
    async ensureTables(ddl) {
      // One simple query: its statements run in one implicit transaction, which holds the lock to the end.
      await pool.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema())); ${ddl}`);
    },
    [Symbol.asyncDispose]: () => pool.end(),
  };
}
