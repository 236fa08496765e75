/** SQL of the transactional outbox table. Rows are relayed in `id` order; published rows keep `published_at`. */
import { qualifiedTable, quoteIdent } from '../pg-sql.ts';

export interface OutboxTableOptions {
  readonly schema?: string;
  /** Default `eventwire_outbox`. */
  readonly table?: string;
}

export function outboxSql(options: OutboxTableOptions = {}) {
  const name = options.table ?? 'eventwire_outbox';
  const table = qualifiedTable(name, options.schema);
  return {
    lockName: `${options.schema ?? ''}.${name}`,
    createTable: `CREATE TABLE IF NOT EXISTS ${table} (
      id bigserial PRIMARY KEY,
      event_id text NOT NULL,
      event_type text NOT NULL,
      destination jsonb NOT NULL,
      body bytea NOT NULL,
      content_type text NOT NULL,
      headers jsonb NOT NULL,
      ordering_key text,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      published_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    )`,
    createIndex: `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${name}_unpublished_idx`)}
      ON ${table} (id) WHERE published_at IS NULL`,
    insert: `INSERT INTO ${table} (event_id, event_type, destination, body, content_type, headers, ordering_key)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    // Only one relay publishes at a time (transaction-scoped advisory lock), so rows go out in id order.
    tryLock: 'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
    claim: `SELECT id, event_id, event_type, destination, body, content_type, headers, ordering_key
      FROM ${table} WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    markPublished: `UPDATE ${table} SET published_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL
      WHERE id = ANY($1::bigint[])`,
    recordFailure: `UPDATE ${table} SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
    purgePublished: `DELETE FROM ${table}
      WHERE published_at IS NOT NULL AND published_at < clock_timestamp() - $1::double precision * interval '1 millisecond'`,
  };
}

export interface OutboxRow {
  readonly id: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly destination: unknown;
  readonly body: Buffer;
  readonly content_type: string;
  readonly headers: Record<string, string>;
  readonly ordering_key: string | null;
}
