/** Small PostgreSQL helpers shared by the idempotency store and the outbox. */
import type { Pool, PoolClient } from 'pg';

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"` (or just `"table"`), safe to splice into SQL. */
export function qualifiedTable(table: string, schema?: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table);
}

/**
 * Run `work` in a transaction on a pooled client. A client whose connection failed mid-transaction is
 * destroyed instead of returned to the pool; errors on the idle socket are captured rather than crashing the
 * process (a checked-out pg client has no error listener of its own).
 */
export async function inTransaction<R>(pool: Pool, work: (client: PoolClient) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken ??= await client.query('ROLLBACK').then(
      () => undefined,
      (rollbackError: Error) => rollbackError,
    );
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
