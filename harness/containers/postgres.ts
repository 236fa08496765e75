/**
 * PostgreSQL in a throwaway container (the official image's behaviour; see images/postgres), with password
 * authentication for remote clients as the official image's POSTGRES_PASSWORD gives. A committed transaction is
 * in the write-ahead log, fsynced, before COMMIT returns: a crash restart loses nothing committed.
 */
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { type ContainerBroker, onLoopback, startBroker } from './broker.ts';
import type { Address } from './fault-proxy.ts';
import { ProbeWaitStrategy } from './probe-wait.ts';

const POSTGRES_PORT = 5432;
const DATABASE = 'eventwire';
const USER = 'eventwire';
const PASSWORD = 'eventwire';

const LoopbackPostgreSqlContainer = onLoopback(PostgreSqlContainer);

/** Starts PostgreSQL; `broker.url` is `postgres://eventwire:eventwire@127.0.0.1:<proxy port>/eventwire`. */
export async function startPostgres(): Promise<ContainerBroker> {
  const url = ({ host, port }: Address) => `postgres://${USER}:${PASSWORD}@${host}:${port}/${DATABASE}`;
  // SIGINT: PostgreSQL's fast shutdown, the official image's STOPSIGNAL (SIGTERM waits for every client).
  // Ready when the server answers a query over TCP. During initdb the image's temporary server listens on its
  // socket only, so the first answer comes from the final server.
  const ready = () =>
    new ProbeWaitStrategy(POSTGRES_PORT, (address) => selectOne(url(address)), 'PostgreSQL');
  return startBroker({ kind: 'postgres', port: POSTGRES_PORT, url, stopSignal: 'SIGINT', ready }, (image) =>
    new LoopbackPostgreSqlContainer(image)
      .withDatabase(DATABASE)
      .withUsername(USER)
      .withPassword(PASSWORD)
      // initdb without its own fsyncs (the official image's POSTGRES_INITDB_ARGS): a throwaway cluster need not
      // survive a machine crash during its first second, and on a busy disk this halves the start. Everything
      // committed afterwards is fsynced as usual, which the restart faults rely on.
      .withEnvironment({ POSTGRES_INITDB_ARGS: '--no-sync' })
      // No Docker health check (the module's runs pg_isready by `docker exec` four times a second for the
      // container's life, a steady load on a 2-core machine): readiness is the query above.
      // Docker's API takes ["NONE"] to disable the image's check; Testcontainers' type lists only CMD forms.
      .withHealthCheck({ test: ['NONE'] as unknown as ['CMD'] })
      .withStartupTimeout(60_000),
  );
}

async function selectOne(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}
