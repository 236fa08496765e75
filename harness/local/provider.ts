/**
 * The `local` broker mode's provider: the brokers already running at REDIS_URL, AMQP_URL and DATABASE_URL
 * (defaults 127.0.0.1), shared with whatever else uses them. Each one the suites need is asked to answer before
 * anything runs (a BrokerUnavailableError, exit 2, says which and how to fix it). Runs are isolated by names:
 * a Redis key prefix, a PostgreSQL schema, and a RabbitMQ vhost when the management API answers (else the
 * backend tags the run's exchanges and queues); everything is removed when the run ends. Nothing is flushed,
 * restarted or paused: broker-level faults need `--brokers containers`.
 */
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { BrokerUnavailableError } from '../engine/errors.ts';
import type {
  BrokerEndpoints,
  BrokerNeeds,
  BrokerProvider,
  Isolation,
  StartedBrokers,
} from '../engine/types.ts';

export interface LocalEnv {
  readonly REDIS_URL?: string;
  readonly AMQP_URL?: string;
  readonly DATABASE_URL?: string;
  /** RabbitMQ's management API (default http://127.0.0.1:15672 with AMQP_URL's user): vhost per run when it answers. */
  readonly AMQP_MANAGEMENT_URL?: string;
}

const DEFAULTS = {
  redis: 'redis://127.0.0.1:6379',
  amqp: 'amqp://guest:guest@127.0.0.1:5672',
  postgres: 'postgres://postgres@127.0.0.1:5432/postgres',
};

/** How long a broker may take to answer the first time. */
const ANSWER_MS = 3000;

export function localBrokers(env: LocalEnv = process.env): BrokerProvider {
  return {
    mode: 'local',
    async start(needs: BrokerNeeds): Promise<StartedBrokers> {
      const redisUrl = env.REDIS_URL || DEFAULTS.redis;
      const amqpUrl = env.AMQP_URL || DEFAULTS.amqp;
      const databaseUrl = env.DATABASE_URL || DEFAULTS.postgres;
      const checks: Promise<void>[] = [];
      if (needs.has('redis')) checks.push(checkRedis(redisUrl));
      if (needs.has('rabbitmq')) checks.push(checkAmqp(amqpUrl));
      if (needs.has('postgres')) checks.push(checkPostgres(databaseUrl));
      const results = await Promise.allSettled(checks);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      const management = needs.has('rabbitmq')
        ? await managementApi(env.AMQP_MANAGEMENT_URL, amqpUrl)
        : undefined;
      const endpoints: BrokerEndpoints = {
        ...(needs.has('redis') ? { redisUrl } : {}),
        ...(needs.has('rabbitmq') ? { amqpUrl } : {}),
        ...(management ? { amqpManagementUrl: management } : {}),
        ...(needs.has('postgres') ? { databaseUrl } : {}),
      };
      const redis = needs.has('redis') ? new Redis(redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
      return {
        mode: 'local',
        endpoints,
        faults: {},
        isolate: (runId) => isolate(runId, endpoints, redis),
        async [Symbol.asyncDispose]() {
          redis?.disconnect();
        },
      };
    },
  };
}

async function isolate(
  runId: string,
  endpoints: BrokerEndpoints,
  redis: Redis | undefined,
): Promise<Isolation> {
  const name = `ew-test-${runId}-${randomBytes(3).toString('hex')}`.replace(/[^A-Za-z0-9_-]/g, '-');
  const cleanups: (() => Promise<unknown>)[] = [];
  let isolation: Isolation = {
    runId,
    async [Symbol.asyncDispose]() {
      for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    },
  };
  if (redis) {
    const prefix = `${name}:`;
    isolation = { ...isolation, redisPrefix: prefix };
    cleanups.push(() => deletePrefix(redis, prefix));
  }
  if (endpoints.amqpManagementUrl && endpoints.amqpUrl) {
    const api = endpoints.amqpManagementUrl;
    const user = decodeURIComponent(new URL(endpoints.amqpUrl).username || 'guest');
    await management(api, 'PUT', `/api/vhosts/${encodeURIComponent(name)}`, {});
    await management(api, 'PUT', `/api/permissions/${encodeURIComponent(name)}/${encodeURIComponent(user)}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
    const url = new URL(endpoints.amqpUrl);
    url.pathname = `/${encodeURIComponent(name)}`;
    isolation = { ...isolation, amqpVhost: name, amqpUrl: url.toString() };
    cleanups.push(() => management(api, 'DELETE', `/api/vhosts/${encodeURIComponent(name)}`));
  }
  if (endpoints.databaseUrl) {
    const schema = name.replaceAll('-', '_');
    const url = endpoints.databaseUrl;
    await withPg(url, (client) => client.query(`CREATE SCHEMA "${schema}"`));
    isolation = { ...isolation, pgSchema: schema };
    cleanups.push(() => withPg(url, (client) => client.query(`DROP SCHEMA "${schema}" CASCADE`)));
  }
  return isolation;
}

async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

// --- does it answer? ----------------------------------------------------------------------------------------

const shown = (url: string) => {
  const parsed = new URL(url);
  parsed.password = parsed.password ? '***' : '';
  return parsed.toString();
};

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)) || 'no answer';

async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: ANSWER_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new BrokerUnavailableError(
      'Redis',
      shown(url),
      reason(error),
      'Start Redis there, or point REDIS_URL at one (or use --brokers containers / memory).',
    );
  } finally {
    redis.disconnect();
  }
}

async function checkAmqp(url: string): Promise<void> {
  try {
    const connection = await amqp.connect(url, { timeout: ANSWER_MS });
    await connection.close();
  } catch (error) {
    throw new BrokerUnavailableError(
      'RabbitMQ',
      shown(url),
      reason(error),
      'Start RabbitMQ there, or point AMQP_URL at one (or use --brokers containers / memory).',
    );
  }
}

async function checkPostgres(url: string): Promise<void> {
  try {
    await withPg(url, (client) => client.query('SELECT 1'));
  } catch (error) {
    throw new BrokerUnavailableError(
      'PostgreSQL',
      shown(url),
      reason(error),
      'Start PostgreSQL there, or point DATABASE_URL at one (or use --brokers containers / memory).',
    );
  }
}

async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: ANSWER_MS });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The management API's URL (with credentials) when it answers, else undefined: runs are then isolated by names. */
async function managementApi(configured: string | undefined, amqpUrl: string): Promise<string | undefined> {
  const amqp = new URL(amqpUrl);
  const api = new URL(configured ?? `http://${amqp.hostname}:15672/`);
  if (!api.username) {
    api.username = amqp.username || 'guest';
    api.password = amqp.password || 'guest';
  }
  try {
    await management(api.toString(), 'GET', '/api/overview', undefined, 1000);
    return api.toString();
  } catch {
    return undefined;
  }
}

async function management(
  api: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<void> {
  const url = new URL(api);
  const auth = Buffer.from(
    `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
  ).toString('base64');
  url.username = '';
  url.password = '';
  const response = await fetch(new URL(path, url), {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`RabbitMQ management ${method} ${path}: ${response.status} ${await response.text()}`);
}
