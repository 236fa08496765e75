/**
 * Redis in a throwaway container (the official image's behaviour; see images/redis), with AOF persistence in
 * one of two named configurations so a restart keeps the streams, consumer groups and idempotency marks:
 *
 * - `aof-always`: `appendfsync always`: a write is fsynced to the AOF before Redis answers it. Nothing Redis
 *   acknowledged is lost by a restart, a crash of the Redis process, or of the machine.
 * - `aof-everysec`: `appendfsync everysec`: a write is in the AOF file (the kernel's page cache) before Redis
 *   answers it, and fsynced within about a second. A crash of the Redis process (the harness's `crash` restart,
 *   SIGKILL) loses nothing acknowledged; a crash of the machine or its kernel loses up to the last second of
 *   acknowledged writes, two seconds when a slow disk makes Redis postpone its writes. The harness's checker
 *   therefore allows, after a restart in this configuration, the loss of writes acknowledged within the 2 s
 *   before the restart, and nothing older (see `everysecLossWindowMs`).
 * - `none`: nothing on disk; a restart empties Redis. For runs without restart faults.
 */
import { RedisContainer } from '@testcontainers/redis';
import { Wait } from 'testcontainers';
import { type ContainerBroker, onLoopback, startBroker } from './broker.ts';
import type { Address } from './fault-proxy.ts';

export type RedisPersistence = 'aof-always' | 'aof-everysec' | 'none';

export const REDIS_PERSISTENCE: Record<RedisPersistence, readonly string[]> = {
  none: ['--appendonly', 'no', '--save', ''],
  'aof-always': ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
  'aof-everysec': ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
};

/** Writes acknowledged within this long before a restart may be lost under `aof-everysec`; older ones may not. */
export const everysecLossWindowMs = 2_000;

const REDIS_PORT = 6379;

const LoopbackRedisContainer = onLoopback(RedisContainer);

export interface RedisBrokerOptions {
  readonly persistence?: RedisPersistence;
}

/** Starts Redis; `broker.url` is `redis://127.0.0.1:<proxy port>`. */
export async function startRedis(options: RedisBrokerOptions = {}): Promise<ContainerBroker> {
  const persistence = options.persistence ?? 'aof-always';
  const url = ({ host, port }: Address) => `redis://${host}:${port}`;
  const ready = () => Wait.forLogMessage('Ready to accept connections');
  return startBroker({ kind: 'redis', port: REDIS_PORT, url, ready }, (image) =>
    new LoopbackRedisContainer(image)
      .withCommand(['redis-server', ...REDIS_PERSISTENCE[persistence]])
      .withLabels({ 'org.eventwire.harness.persistence': persistence })
      .withStartupTimeout(30_000),
  );
}
