/**
 * Ordering positions in Redis, shared by every instance of a consumer. `advance` is a compare-and-set in Lua
 * (never read-then-write from the client), so two instances finishing different sequences of one key can only
 * move it forward. Positions expire after `ttlMs` of inactivity (default 7 days) to bound memory; a key that
 * expired starts again at the first sequence.
 */
import type { Redis } from 'ioredis';
import { redisScript } from '../redis-script.ts';
import type { OrderingStore } from './store.ts';

const ADVANCE = redisScript(`
local current = tonumber(redis.call('GET', KEYS[1]))
local sequence = tonumber(ARGV[1])
if current == nil or current < sequence then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0
`);

export interface RedisOrderingOptions {
  /** Key prefix (default `eventwire:seq:`). */
  readonly prefix?: string;
  readonly ttlMs?: number;
}

export class RedisOrderingStore implements OrderingStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;

  constructor(redis: Redis, options: RedisOrderingOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'eventwire:seq:';
    this.#ttlMs = options.ttlMs ?? 7 * 24 * 60 * 60 * 1000;
  }

  async last(key: string): Promise<number | null> {
    const value = await this.#redis.get(this.#prefix + key);
    return value === null ? null : Number(value);
  }

  async advance(key: string, sequence: number): Promise<boolean> {
    return (await ADVANCE.run(this.#redis, [this.#prefix + key], [sequence, this.#ttlMs])) === 1;
  }
}
