/**
 * SQL of the PostgreSQL idempotency store. Times use clock_timestamp() (the database clock), so leases
 * and TTLs mean the same thing to every consumer instance whatever their local clocks say.
 */
export function idempotencySql(table: string, expiresIndex: string) {
  const ms = (param: string) => `clock_timestamp() + ${param}::double precision * interval '1 millisecond'`;
  const reclaimable = `(e.status = 'claimed' AND e.lease_until <= clock_timestamp())
       OR (e.status = 'done' AND e.expires_at <= clock_timestamp())`;
  return {
    createTable: `CREATE TABLE IF NOT EXISTS ${table} (
      idempotency_key text PRIMARY KEY,
      status text NOT NULL CHECK (status IN ('claimed', 'done')),
      claim_token text,
      lease_until timestamptz,
      processed_at timestamptz,
      expires_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`,
    createIndex: `CREATE INDEX IF NOT EXISTS ${expiresIndex} ON ${table} (expires_at)`,
    // One round trip: the claim attempt, plus the status that blocked it (read from the statement's snapshot).
    claim: `WITH attempt AS (
      INSERT INTO ${table} AS e (idempotency_key, status, claim_token, lease_until, updated_at)
      VALUES ($1, 'claimed', $2, ${ms('$3')}, clock_timestamp())
      ON CONFLICT (idempotency_key) DO UPDATE
        SET status = 'claimed', claim_token = EXCLUDED.claim_token, lease_until = EXCLUDED.lease_until,
            processed_at = NULL, expires_at = NULL, updated_at = EXCLUDED.updated_at
        WHERE ${reclaimable}
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM attempt) AS claimed,
           (SELECT status FROM ${table} WHERE idempotency_key = $1) AS status`,
    commit: `UPDATE ${table}
      SET status = 'done', processed_at = coalesce(processed_at, clock_timestamp()), expires_at = ${ms('$3')},
          lease_until = NULL, updated_at = clock_timestamp()
      WHERE idempotency_key = $1 AND claim_token = $2`,
    insertDone: `INSERT INTO ${table} (idempotency_key, status, processed_at, expires_at)
      VALUES ($1, 'done', clock_timestamp(), ${ms('$2')})
      ON CONFLICT (idempotency_key) DO NOTHING`,
    release: `DELETE FROM ${table} WHERE idempotency_key = $1 AND claim_token = $2 AND status = 'claimed'`,
    markOwned: `UPDATE ${table}
      SET status = 'done', processed_at = clock_timestamp(), expires_at = ${ms('$3')}, lease_until = NULL,
          updated_at = clock_timestamp()
      WHERE idempotency_key = $1 AND claim_token = $2 AND status = 'claimed'`,
    markUnclaimed: `INSERT INTO ${table} AS e (idempotency_key, status, processed_at, expires_at)
      VALUES ($1, 'done', clock_timestamp(), ${ms('$2')})
      ON CONFLICT (idempotency_key) DO UPDATE
        SET status = 'done', claim_token = NULL, lease_until = NULL, processed_at = EXCLUDED.processed_at,
            expires_at = EXCLUDED.expires_at, updated_at = clock_timestamp()
        WHERE ${reclaimable}`,
    status: `SELECT status FROM ${table} WHERE idempotency_key = $1`,
    purge: `DELETE FROM ${table} AS e WHERE ${reclaimable}`,
  };
}
