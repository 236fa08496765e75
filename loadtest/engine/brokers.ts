/**
 * The brokers a load run uses and its isolation on them. `local`: the brokers at REDIS_URL, AMQP_URL and
 * DATABASE_URL (and a Dapr sidecar at DAPR_URL / DAPR_HTTP_PORT), each run in its own namespace: a Redis key
 * prefix for streams, idempotency marks and ordering positions, a fresh RabbitMQ vhost, a fresh PostgreSQL
 * schema; all removed when the run ends, whatever its outcome. `containers` (throwaway brokers on
 * Testcontainers) is accepted as a name and refused until its provider lands.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  type IdempotencyStore,
  PostgresIdempotencyStore,
  RedisIdempotencyStore,
  RedisOrderingStore,
} from '../../runtime/index.ts';
import type { BrokerConnection, TransportKind } from './transports.ts';

export type BrokerMode = 'local' | 'containers';
export const BROKER_MODES: readonly BrokerMode[] = ['local', 'containers'];

/** A broker could not be reached or prepared: the run stops before sending anything (exit 2). */
export class BrokerUnavailableError extends Error {
  override readonly name = 'BrokerUnavailableError';
}

export interface RunBrokers {
  readonly connection: BrokerConnection;
  readonly idempotency: IdempotencyStore;
  readonly idempotencyStores: Partial<Record<'redis' | 'postgres' | 'memory', IdempotencyStore>>;
  readonly ordering: RedisOrderingStore;
  /** Where the run lives, for the report: `redis://127.0.0.1:6379 keys ewload-…:*`. */
  readonly described: readonly string[];
  /** A connection for reading broker state (stream lengths, group lag). */
  readonly redis: Redis;
  close(): Promise<void>;
}

export interface BrokerRequest {
  readonly mode: BrokerMode;
  readonly transport: TransportKind;
  readonly runId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly postgres: boolean;
  readonly dapr?: { readonly url: string; readonly apiToken?: string; readonly appPort: number };
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

async function answering<T>(what: string, hint: string, probe: () => Promise<T>): Promise<T> {
  try {
    return await probe();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BrokerUnavailableError(`${what} did not answer (${reason}). ${hint}`);
  }
}

async function openRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true });
  await answering(`Redis at ${redact(url)}`, 'Start it, or point REDIS_URL at one.', async () => {
    await redis.connect();
    await redis.ping();
  }).catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
  return redis;
}

async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Creates a vhost through the management API when it answers, else with rabbitmqctl; returns its remover. */
export async function freshVhost(
  amqpUrl: string,
  vhost: string,
  env: BrokerRequest['env'],
): Promise<() => Promise<void>> {
  const url = new URL(amqpUrl);
  const user = decodeURIComponent(url.username || 'guest');
  const password = decodeURIComponent(url.password || 'guest');
  const management = (env.RABBITMQ_MANAGEMENT_URL ?? `http://${url.hostname}:15672`).replace(/\/+$/, '');
  const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${management}/api/${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5000),
    });
  const name = encodeURIComponent(vhost);
  const viaApi = await api('PUT', `vhosts/${name}`).catch(() => undefined);
  if (viaApi?.ok) {
    const granted = await api('PUT', `permissions/${name}/${encodeURIComponent(user)}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
    if (!granted.ok)
      throw new BrokerUnavailableError(`RabbitMQ refused permissions on ${vhost}: HTTP ${granted.status}`);
    return async () => void (await api('DELETE', `vhosts/${name}`).catch(() => undefined));
  }
  const [command, ...prefix] = (env.RABBITMQCTL ?? 'rabbitmqctl').split(' ');
  const ctl = (...args: string[]) =>
    promisify(execFile)(command as string, [...prefix, ...args], { timeout: 60_000 });
  await answering(
    'RabbitMQ (management API or rabbitmqctl)',
    `A load run needs its own vhost: enable the management plugin (RABBITMQ_MANAGEMENT_URL, default ${management}) ` +
      'with a user tagged "management" or higher, or put rabbitmqctl on PATH (RABBITMQCTL).',
    async () => {
      await ctl('add_vhost', vhost, '--quiet');
      await ctl('set_permissions', '-p', vhost, user, '.*', '.*', '.*', '--quiet');
    },
  );
  return async () => void (await ctl('delete_vhost', vhost, '--quiet').catch(() => undefined));
}

async function checkAmqp(url: string): Promise<void> {
  const { connect } = await import('amqplib');
  await answering(`RabbitMQ at ${redact(url)}`, 'Start it, or point AMQP_URL at one.', async () => {
    const connection = await connect(url, { timeout: 3000 });
    await connection.close();
  });
}

async function checkSidecar(url: string): Promise<void> {
  await answering(
    `The Dapr sidecar at ${url}`,
    'Run the load under `dapr run`, or set DAPR_URL / DAPR_HTTP_PORT.',
    async () => {
      const response = await fetch(`${url}/v1.0/healthz`, { signal: AbortSignal.timeout(3000) });
      if (response.status >= 300) throw new Error(`HTTP ${response.status}`);
    },
  );
}

export async function openBrokers(request: BrokerRequest): Promise<RunBrokers> {
  if (request.mode === 'containers') {
    throw new BrokerUnavailableError(
      '--brokers containers (throwaway brokers on Testcontainers) is not available yet; use --brokers local with ' +
        'REDIS_URL, AMQP_URL and DATABASE_URL.',
    );
  }
  const { env, runId } = request;
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const redis = await openRedis(redisUrl);
    const prefix = `ewload-${runId}:`;
    cleanups.push(async () => {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    });
    const described = [`Redis ${redact(redisUrl)}: keys ${prefix}*`];
    const idempotency = new RedisIdempotencyStore(redis, { prefix: `${prefix}idem:` });
    const ordering = new RedisOrderingStore(redis, { prefix: `${prefix}order:` });
    const stores: RunBrokers['idempotencyStores'] = { redis: idempotency };

    if (request.postgres) {
      const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 3000 });
      const schema = `ewload_${runId.replace(/-/g, '_')}`;
      cleanups.push(async () => {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
        await pool.end();
      });
      await answering(`PostgreSQL at ${redact(databaseUrl)}`, 'Start it, or point DATABASE_URL at one.', () =>
        pool.query(`CREATE SCHEMA "${schema}"`),
      );
      const store = new PostgresIdempotencyStore(pool, { schema });
      await store.migrate();
      stores.postgres = store;
      described.push(`PostgreSQL ${redact(databaseUrl)}: schema ${schema}`);
    }

    let connection: BrokerConnection;
    if (request.transport === 'redis-streams') {
      connection = { kind: 'redis-streams', url: redisUrl, streamPrefix: `${prefix}stream:` };
    } else if (request.transport === 'rabbitmq') {
      const amqpUrl = env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
      await checkAmqp(amqpUrl);
      const vhost = `eventwire-load-${runId}`;
      cleanups.push(await freshVhost(amqpUrl, vhost, env));
      const url = new URL(amqpUrl);
      url.pathname = `/${encodeURIComponent(vhost)}`;
      connection = { kind: 'rabbitmq', url: url.toString() };
      described.push(`RabbitMQ ${redact(amqpUrl)}: vhost ${vhost}`);
    } else {
      const dapr = request.dapr;
      if (!dapr) throw new BrokerUnavailableError('the Dapr transport needs the sidecar URL');
      await checkSidecar(dapr.url);
      connection = {
        kind: 'dapr',
        daprUrl: dapr.url,
        appPort: dapr.appPort,
        ...(dapr.apiToken ? { apiToken: dapr.apiToken } : {}),
      };
      described.push(`Dapr sidecar ${dapr.url}, app port ${dapr.appPort}`);
    }
    return { connection, idempotency, idempotencyStores: stores, ordering, described, redis, close };
  } catch (error) {
    await close();
    throw error;
  }
}
