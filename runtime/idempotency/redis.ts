/**
 * Redis idempotency store.
 *
 *   claim    SET key "c:<token>" NX PX <lease> GET: one atomic command that either takes the key (reply nil)
 *            or returns what holds it ("d:..." done -> duplicate, "c:..." live claim -> in-progress). No
 *            check-then-act: two consumers racing for one key cannot both get 'claimed'.
 *   commit   a Lua script turns our claim into "d:<token>" with the mark TTL, only if the key still holds our
 *            claim (or nothing: our lease ran out but nobody took over, and the work is done). If another
 *            owner re-claimed after our lease expired, nothing is written and 'lease-lost' is returned.
 *   release  a Lua script deletes the key only if it still holds our claim.
 *
 * A consumer that crashes mid-handler leaves a claim that expires with its lease; the next delivery claims it.
 * Guarantee: at most one live claim per key across all instances sharing the Redis; the handler runs again
 * only if it failed, crashed, or overran its lease. Marks are kept for the contract TTL (24 h by default).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisScript } from '../redis-script.ts';
import type { ClaimResult, CommitResult, IdempotencyStore } from './store.ts';

const COMMIT = redisScript(`
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
`);

const RELEASE = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

export interface RedisIdempotencyOptions {
  /** Key prefix (default `eventwire:idem:`); use a unique one per test. */
  readonly prefix?: string;
}

export class RedisIdempotencyStore implements IdempotencyStore {
  readonly kind = 'redis' as const;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #owned = new Map<string, string>();

  constructor(redis: Redis, options: RedisIdempotencyOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'eventwire:idem:';
  }

  async claim(key: string, leaseMs: number): Promise<ClaimResult> {
    const token = randomUUID();
    const previous = await this.#redis.set(
      this.#prefix + key,
      `c:${token}`,
      'PX',
      Math.max(1, leaseMs),
      'NX',
      'GET',
    );
    if (previous === null) {
      this.#owned.set(key, token);
      return 'claimed';
    }
    return previous.startsWith('d:') ? 'duplicate' : 'in-progress';
  }

  async commit(key: string, ttlMs: number): Promise<CommitResult> {
    const token = this.#owned.get(key) ?? '';
    this.#owned.delete(key);
    const written = await COMMIT.run(
      this.#redis,
      [this.#prefix + key],
      [`c:${token}`, `d:${token}`, Math.max(1, ttlMs)],
    );
    return written === 1 ? 'committed' : 'lease-lost';
  }

  async release(key: string): Promise<void> {
    const token = this.#owned.get(key);
    this.#owned.delete(key);
    if (token === undefined) return;
    await RELEASE.run(this.#redis, [this.#prefix + key], [`c:${token}`]);
  }
}
