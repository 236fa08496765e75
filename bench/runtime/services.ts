/**
 * The real brokers the runtime benchmarks run against (the same env vars as the tests), with isolation: unique
 * stream names and key prefixes on Redis, a throw-away virtual host on RabbitMQ, all removed afterwards.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** `ew-bench:<time>-<random>`: every key a benchmark run creates starts with it. */
export function benchPrefix(name: string): string {
  return `ew-bench:${name}:${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function redisConnection(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: false });
}

/** Deletes every key under the prefix with SCAN + UNLINK (never KEYS: the Redis is shared). */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** Entries ever appended to a stream (Redis 7 `entries-added`): trimming does not lower it. */
export async function entriesAdded(redis: Redis, stream: string): Promise<number> {
  const info = (await redis.call('XINFO', 'STREAM', stream)) as unknown[];
  const at = info.indexOf('entries-added');
  if (at === -1) throw new Error('XINFO STREAM has no entries-added field: the benchmarks need Redis >= 7');
  return Number(info[at + 1]);
}

const run = promisify(execFile);

async function rabbitmqctl(...args: string[]): Promise<void> {
  // RABBITMQCTL may carry a prefix, e.g. `docker exec rabbit rabbitmqctl` in CI.
  const [command, ...prefix] = (process.env.RABBITMQCTL ?? 'rabbitmqctl').split(' ');
  await run(command!, [...prefix, ...args, '--quiet'], { timeout: 60_000 });
}

export interface BenchVhost {
  readonly name: string;
  readonly url: string;
  dispose(): Promise<void>;
}

/** A fresh vhost with full permissions for the URL's user; `dispose` deletes it with everything in it. */
export async function createVhost(name: string): Promise<BenchVhost> {
  const vhost = name.replaceAll(':', '-');
  const url = new URL(AMQP_URL);
  await rabbitmqctl('add_vhost', vhost);
  await rabbitmqctl(
    'set_permissions',
    '-p',
    vhost,
    decodeURIComponent(url.username || 'guest'),
    '.*',
    '.*',
    '.*',
  );
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return {
    name: vhost,
    url: url.toString(),
    dispose: () => rabbitmqctl('delete_vhost', vhost).catch(() => undefined),
  };
}

/** Server-side figures of a Redis over an interval: CPU and per-command calls (`calls:<cmd>`, `usec:<cmd>`). */
export async function redisServerStats(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('cpu', 'commandstats');
  const stats: Record<string, number> = {};
  const user = Number(/^used_cpu_user:([0-9.]+)/m.exec(info)?.[1] ?? Number.NaN);
  const sys = Number(/^used_cpu_sys:([0-9.]+)/m.exec(info)?.[1] ?? Number.NaN);
  stats.serverCpuMicros = (user + sys) * 1e6;
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+),usec=(\d+)/gm)) {
    stats[`calls:${match[1]}`] = Number(match[2]);
    stats[`usec:${match[1]}`] = Number(match[3]);
  }
  return stats;
}

/** `after - before` for every figure (commands first seen in `after` count from 0). */
export function statsDelta(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const change = value - (before[key] ?? 0);
    if (change !== 0) delta[key] = change;
  }
  return delta;
}

/**
 * CPU time (µs) the local RabbitMQ node (`beam.smp`) has used, from /proc; undefined when the broker does not
 * run on this machine. Assumes the usual 100 clock ticks per second.
 */
export async function localBrokerCpuMicros(): Promise<number | undefined> {
  const { readdir, readFile } = await import('node:fs/promises');
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  let total: number | undefined;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (!stat.includes('(beam.smp)')) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state is field 3, utime field 14, stime field 15 (1-based over the whole line).
    total = (total ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10_000;
  }
  return total;
}
