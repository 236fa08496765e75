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
import { PullPolicy } from 'testcontainers';
import { ContainerBroker, loopbackOnly } from './broker.ts';
import type { Address } from './fault-proxy.ts';
import { ownerLabels, requireLocalImage } from './engine.ts';
import { resolveImages } from './settings.ts';

export type RedisPersistence = 'aof-always' | 'aof-everysec' | 'none';

export const REDIS_PERSISTENCE: Record<RedisPersistence, readonly string[]> = {
  none: ['--appendonly', 'no', '--save', ''],
  'aof-always': ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
  'aof-everysec': ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
};

/** Writes acknowledged within this long before a restart may be lost under `aof-everysec`; older ones may not. */
export const everysecLossWindowMs = 2_000;

const REDIS_PORT = 6379;

class LoopbackRedisContainer extends RedisContainer {
  override async start() {
    loopbackOnly(this.hostConfig);
    return super.start();
  }
}

export interface RedisBrokerOptions {
  readonly persistence?: RedisPersistence;
}

/** Starts Redis; `broker.url` is `redis://127.0.0.1:<proxy port>`. */
export async function startRedis(options: RedisBrokerOptions = {}): Promise<ContainerBroker> {
  const persistence = options.persistence ?? 'aof-always';
  const { redis: setting } = resolveImages();
  await requireLocalImage('redis', setting);
  const container = await new LoopbackRedisContainer(setting.image)
    .withCommand(['redis-server', ...REDIS_PERSISTENCE[persistence]])
    .withLabels({ ...ownerLabels, 'org.eventwire.harness.persistence': persistence })
    .withPullPolicy(PullPolicy.neverPull())
    .withStartupTimeout(30_000)
    .start();
  const url = ({ host, port }: Address) => `redis://${host}:${port}`;
  return ContainerBroker.wrap({ kind: 'redis', image: setting.image, port: REDIS_PORT, url }, container);
}
