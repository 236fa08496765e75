/**
 * The `containers` broker mode of `eventwire test`: the brokers a run needs, each in its own throwaway
 * container, started together and removed together (`await using brokers = await containersProvider.start(needs)`).
 * Beyond the engine's fault capabilities (restart, pause, cut and restore connections) the started brokers
 * expose each container broker and its fault proxy (`brokers.containers.redis.proxy.addToxic(...)`).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type {
  BrokerEndpoints,
  BrokerFaults,
  BrokerKind,
  BrokerNeeds,
  BrokerProvider,
  Isolation,
  StartedBrokers,
} from '../engine/types.ts';
import type { ContainerBroker } from './broker.ts';
import { containersProblem } from './engine.ts';
import { resolveImages } from './settings.ts';
import { startPostgres } from './postgres.ts';
import { managementUrl, startRabbitMQ } from './rabbitmq.ts';
import { type RedisPersistence, startRedis } from './redis.ts';

export interface ContainersProviderOptions {
  /** Redis persistence for the run (default `aof-always`: a restart loses nothing acknowledged). */
  readonly redisPersistence?: RedisPersistence;
}

export interface StartedContainerBrokers extends StartedBrokers {
  readonly containers: Readonly<Partial<Record<BrokerKind, ContainerBroker>>>;
}

export interface ContainersProvider extends BrokerProvider {
  start(needs: BrokerNeeds): Promise<StartedContainerBrokers>;
}

export function containersProvider(options: ContainersProviderOptions = {}): ContainersProvider {
  return {
    mode: 'containers',
    async start(needs) {
      const starters: Record<BrokerKind, () => Promise<ContainerBroker>> = {
        redis: () => startRedis({ persistence: options.redisPersistence ?? 'aof-always' }),
        rabbitmq: () => startRabbitMQ(),
        postgres: () => startPostgres(),
      };
      const kinds = [...needs];
      const started = await Promise.allSettled(kinds.map((kind) => starters[kind]()));
      const containers: Partial<Record<BrokerKind, ContainerBroker>> = {};
      started.forEach((result, i) => {
        if (result.status === 'fulfilled') containers[kinds[i] as BrokerKind] = result.value;
      });
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) {
        await Promise.allSettled(Object.values(containers).map((broker) => broker[Symbol.asyncDispose]()));
        throw failed.reason;
      }
      return startedBrokers(containers);
    },
  };
}

function startedBrokers(containers: Partial<Record<BrokerKind, ContainerBroker>>): StartedContainerBrokers {
  const broker = (kind: BrokerKind): ContainerBroker => {
    const found = containers[kind];
    if (!found) throw new Error(`no ${kind} container in this run: add it to the run's needs`);
    return found;
  };
  const endpoints: BrokerEndpoints = {
    ...(containers.redis ? { redisUrl: containers.redis.url } : {}),
    ...(containers.rabbitmq
      ? { amqpUrl: containers.rabbitmq.url, amqpManagementUrl: managementUrl(containers.rabbitmq) }
      : {}),
    ...(containers.postgres ? { databaseUrl: containers.postgres.url } : {}),
  };
  const faults: Required<BrokerFaults> = {
    restart: (kind) => broker(kind).restart({ kind: 'crash' }),
    async pause(kind, ms) {
      await broker(kind).pause();
      await new Promise((resolve) => setTimeout(resolve, ms));
      await broker(kind).unpause();
    },
    cutConnections: (kind) => broker(kind).proxy.disable(),
    restoreConnections: (kind) => broker(kind).proxy.enable(),
    async resetConnections(kind) {
      // Reset what is open and what reconnects within 100 ms, then let connections through again.
      broker(kind).proxy.addToxic('eventwire-reset', { type: 'reset_peer', timeoutMs: 0 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      broker(kind).proxy.removeToxic('eventwire-reset');
    },
    async addLatency(kind, latencyMs) {
      broker(kind).proxy.addToxic('eventwire-latency', {
        type: 'latency',
        latencyMs,
        jitterMs: latencyMs / 4,
      });
    },
    async clearNetworkFaults(kind) {
      broker(kind).proxy.clearToxics();
    },
  };
  return {
    mode: 'containers',
    endpoints,
    faults,
    containers,
    isolate: (runId) => isolate(runId, containers),
    async [Symbol.asyncDispose]() {
      await Promise.allSettled(Object.values(containers).map((started) => started[Symbol.asyncDispose]()));
    },
  };
}

/** A Redis prefix, a RabbitMQ vhost and a PostgreSQL schema for one run, each removed on dispose. */
async function isolate(
  runId: string,
  containers: Partial<Record<BrokerKind, ContainerBroker>>,
): Promise<Isolation> {
  const name = `ew-run-${runId}-${randomBytes(3).toString('hex')}`;
  const cleanups: (() => Promise<void>)[] = [];
  let isolation: Isolation = {
    runId,
    async [Symbol.asyncDispose]() {
      await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
    },
  };
  if (containers.redis) {
    const url = containers.redis.url;
    const prefix = `${name}:`;
    isolation = { ...isolation, redisPrefix: prefix };
    cleanups.push(() => deleteRedisPrefix(url, prefix));
  }
  if (containers.rabbitmq) {
    const vhost = name;
    const api = managementUrl(containers.rabbitmq);
    await management(api, 'PUT', `/api/vhosts/${encodeURIComponent(vhost)}`, {});
    await management(api, 'PUT', `/api/permissions/${encodeURIComponent(vhost)}/guest`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
    const url = new URL(containers.rabbitmq.url);
    url.pathname = `/${encodeURIComponent(vhost)}`;
    isolation = { ...isolation, amqpVhost: vhost, amqpUrl: url.toString() };
    cleanups.push(() => management(api, 'DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`));
  }
  if (containers.postgres) {
    const schema = name.replaceAll('-', '_');
    const url = containers.postgres.url;
    await withPg(url, (client) => client.query(`CREATE SCHEMA "${schema}"`));
    isolation = { ...isolation, pgSchema: schema };
    cleanups.push(() => withPg(url, (client) => client.query(`DROP SCHEMA "${schema}" CASCADE`)));
  }
  return isolation;
}

async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** One call to RabbitMQ's management API; `api` carries the credentials. */
async function management(api: string, method: string, path: string, body?: unknown): Promise<void> {
  const url = new URL(api);
  const auth = Buffer.from(
    `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
  ).toString('base64');
  url.username = '';
  url.password = '';
  const response = await fetch(new URL(path, url), {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    throw new Error(`RabbitMQ management ${method} ${path}: ${response.status} ${await response.text()}`);
  }
}

/**
 * The broker mode when the user names none: `containers` when a Docker engine answers and holds the images of
 * the brokers the run needs (`needs`; every kind when not given), `local` (the machine's own brokers)
 * otherwise, said once through `say`.
 */
export async function defaultBrokerMode(
  say: (line: string) => void,
  needs?: ReadonlySet<BrokerKind>,
): Promise<'containers' | 'local'> {
  const problem = await containersProblem(resolveImages(), needs);
  if (problem === undefined) return 'containers';
  say(`brokers: local (the machine's own), not containers: ${problem}`);
  return 'local';
}
