/**
 * PostgreSQL in a throwaway container (the official image's behaviour; see images/postgres), with password
 * authentication for remote clients as the official image's POSTGRES_PASSWORD gives. A committed transaction is
 * in the write-ahead log, fsynced, before COMMIT returns: a crash restart loses nothing committed.
 */
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { Wait } from 'testcontainers';
import { type ContainerBroker, onLoopback, startBroker } from './broker.ts';
import type { Address } from './fault-proxy.ts';

const POSTGRES_PORT = 5432;
const DATABASE = 'eventwire';
const USER = 'eventwire';
const PASSWORD = 'eventwire';

const LoopbackPostgreSqlContainer = onLoopback(PostgreSqlContainer);

/** Starts PostgreSQL; `broker.url` is `postgres://eventwire:eventwire@127.0.0.1:<proxy port>/eventwire`. */
export async function startPostgres(): Promise<ContainerBroker> {
  const url = ({ host, port }: Address) => `postgres://${USER}:${PASSWORD}@${host}:${port}/${DATABASE}`;
  // SIGINT: PostgreSQL's fast shutdown, the official image's STOPSIGNAL (SIGTERM waits for every client).
  // Ready as the module says: the image's health check (pg_isready) passes and the port listens.
  const ready = () => Wait.forAll([Wait.forHealthCheck(), Wait.forListeningPorts()]);
  return startBroker({ kind: 'postgres', port: POSTGRES_PORT, url, stopSignal: 'SIGINT', ready }, (image) =>
    new LoopbackPostgreSqlContainer(image)
      .withDatabase(DATABASE)
      .withUsername(USER)
      .withPassword(PASSWORD)
      // initdb without its own fsyncs (the official image's POSTGRES_INITDB_ARGS): a throwaway cluster need not
      // survive a machine crash during its first second, and on a busy disk this halves the start. Everything
      // committed afterwards is fsynced as usual, which the restart faults rely on.
      .withEnvironment({ POSTGRES_INITDB_ARGS: '--no-sync' })
      .withStartupTimeout(60_000),
  );
}
