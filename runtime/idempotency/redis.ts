/**
 * Redis idempotency store.
 *
 *   claim    SET key "c:<token>" NX PX <lease> GET: one atomic command that either takes the key (reply nil)
 *            or returns what holds it ("d:..." done -> duplicate, "c:..." live claim -> in-progress). No
 *            check-then-act: two consumers racing for one key cannot both get 'claimed'.
 *   commit   turns our claim into "d:<token>" with the mark TTL, only if the key still holds our claim (or
 *            nothing: our lease ran out but nobody took over, and the work is done). If another owner
 *            re-claimed after our lease expired, nothing is written and 'lease-lost' is returned.
 *   release  a Lua script deletes the key only if it still holds our claim.
 *
 * Claims made in the same tick go to Redis as one script call, and so do commits (batcher.ts): a consumer
 * that read 100 messages claims them in one round trip. Each key's step inside the script is the single-key
 * step above, in call order, and a script runs atomically, so the guarantees are those of the single commands.
 * A batch names many keys: on Redis Cluster they must share a slot (a `{hash tag}` in the prefix), or set
 * `maxBatch: 1`.
 *
 * A consumer that crashes mid-handler leaves a claim that expires with its lease; the next delivery claims it.
 * Guarantee: at most one live claim per key across all instances sharing the Redis; the handler runs again
 * only if it failed, crashed, or overran its lease. Marks are kept for the contract TTL (24 h by default).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisScript } from '../redis-script.ts';
import { createBatcher } from '../batcher.ts';
import type { ClaimResult, CommitResult, IdempotencyStore } from './store.ts';

/**
 * ARGV: the lease, then our claim per key. One lease for the whole call (the claims of one tick nearly always
 * share it; the flush splits a batch where it changes): a number per key was a quarter of the arguments the client
 * encoded and Redis parsed. Answers only the keys it did not take, as (index, value holding it) pairs: nearly every
 * claim is taken, so the reply is nearly always empty instead of a list with one element per key for Redis to
 * write and the client to decode.
 */
const CLAIM_MANY = redisScript(`
local lease = ARGV[1]
local refused = {}
for i = 1, #KEYS do
  local previous = redis.call('SET', KEYS[i], ARGV[i + 1], 'PX', lease, 'NX', 'GET')
  if previous then
    refused[#refused + 1] = i
    refused[#refused + 1] = previous
  end
end
return refused
`);

/**
 * ARGV: the done mark's TTL (one per call, as the lease above), then our claim and the done mark per key. Answers
 * the indexes of the keys whose lease was lost (another owner's value there); every other key is committed.
 * Finding our own done mark is a commit too: the first run's reply was lost and the client sent the script again.
 * The keys are read with one MGET (one command instead of a GET per key: a script's command calls are most of its
 * cost in Redis); the script runs atomically, so every key is still checked and written with nothing in between.
 */
const COMMIT_MANY = redisScript(`
local ttl = ARGV[1]
local current = redis.call('MGET', unpack(KEYS))
local lost = {}
for i = 1, #KEYS do
  local value = current[i]
  if value == false or value == ARGV[2 * i] or value == ARGV[2 * i + 1] then
    redis.call('SET', KEYS[i], ARGV[2 * i + 1], 'PX', ttl)
  else
    lost[#lost + 1] = i
  end
end
return lost
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
  /** Most keys per script call (default 256); 1 sends every claim and commit on its own. */
  readonly maxBatch?: number;
}

interface Claim {
  /** The key as the caller named it: what `#owned` remembers the token under. */
  readonly key: string;
  readonly token: string;
  readonly leaseMs: number;
}

interface Commit {
  readonly key: string;
  readonly token: string;
  readonly ttlMs: number;
}

export class RedisIdempotencyStore implements IdempotencyStore {
  readonly kind = 'redis' as const;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #owned = new Map<string, string>();
  /**
   * Claim tokens are this instance's random id and a counter: unique per claim across instances and within one.
   * 72 random bits written as 12 base64url characters and the counter in base 36 (`Xk3…Qa.1z4`, ~17 characters):
   * every claim and commit sends its token to Redis (twice for a commit), and a UUID with a decimal counter made
   * the commit's arguments three times as long as they need be.
   */
  readonly #instance = `${randomBytes(9).toString('base64url')}.`;
  #claims = 0;
  readonly #claim: (claim: Claim) => Promise<ClaimResult>;
  readonly #commit: (commit: Commit) => Promise<CommitResult>;

  constructor(redis: Redis, options: RedisIdempotencyOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'eventwire:idem:';
    const maxBatch = Math.max(1, options.maxBatch ?? 256);
    const prefix = this.#prefix;
    const owned = this.#owned;
    // The batchers answer each caller with its outcome directly: claim() and commit() hand back the batcher's
    // promise, without an async frame and a second promise per key around it.
    this.#claim = createBatcher(
      (claims: readonly Claim[]) =>
        inRuns(
          claims,
          (c) => c.leaseMs,
          async (run, leaseMs) => {
            const keys: string[] = [];
            const args: (string | number)[] = [leaseMs];
            for (const c of run) {
              keys.push(prefix + c.key);
              args.push(`c:${c.token}`);
            }
            const refused = (await CLAIM_MANY.run(redis, keys, args)) as (number | string)[];
            const results: ClaimResult[] = run.map(() => 'claimed');
            for (let r = 0; r + 1 < refused.length; r += 2) {
              const i = Number(refused[r]) - 1;
              const value = String(refused[r + 1]);
              // Our own claim is there when the first run's reply was lost and the client sent the script again.
              if (!(i >= 0 && i < run.length))
                throw new Error(`claim script answered key ${i + 1} of ${run.length}`);
              if (value === args[i + 1]) continue;
              results[i] = value.startsWith('d:') ? 'duplicate' : 'in-progress';
            }
            for (const [i, c] of run.entries()) if (results[i] === 'claimed') owned.set(c.key, c.token);
            return results;
          },
        ),
      { maxBatch },
    ).add;
    this.#commit = createBatcher(
      (commits: readonly Commit[]) =>
        inRuns(
          commits,
          (c) => c.ttlMs,
          async (run, ttlMs) => {
            const keys: string[] = [];
            const args: (string | number)[] = [ttlMs];
            for (const c of run) {
              keys.push(prefix + c.key);
              args.push(`c:${c.token}`, `d:${c.token}`);
            }
            const lost = (await COMMIT_MANY.run(redis, keys, args)) as number[];
            const results = run.map((): CommitResult => 'committed');
            for (const index of lost) {
              if (!(index >= 1 && index <= run.length))
                throw new Error(`commit script answered key ${index} of ${run.length}`);
              results[index - 1] = 'lease-lost';
            }
            return results;
          },
        ),
      { maxBatch },
    ).add;
  }

  claim(key: string, leaseMs: number): Promise<ClaimResult> {
    return this.#claim({
      key,
      token: this.#instance + (++this.#claims).toString(36),
      leaseMs: Math.max(1, leaseMs),
    });
  }

  commit(key: string, ttlMs: number): Promise<CommitResult> {
    const token = this.#owned.get(key) ?? '';
    this.#owned.delete(key);
    return this.#commit({ key, token, ttlMs: Math.max(1, ttlMs) });
  }

  async release(key: string): Promise<void> {
    const token = this.#owned.get(key);
    this.#owned.delete(key);
    if (token === undefined) return;
    await RELEASE.run(this.#redis, [this.#prefix + key], [`c:${token}`]);
  }
}

/**
 * Splits a batch into runs of consecutive items sharing `settingOf` (a lease, a TTL), answers each run with one call
 * (one script call per run, all sent at once: Redis runs them in order) and puts the answers back in batch order.
 */
async function inRuns<I, O>(
  items: readonly I[],
  settingOf: (item: I) => number,
  call: (run: readonly I[], value: number) => Promise<readonly O[]>,
): Promise<readonly O[]> {
  const first = items[0];
  if (first === undefined) return [];
  const value = settingOf(first);
  let end = 1;
  while (end < items.length && settingOf(items[end]!) === value) end++;
  if (end === items.length) return call(items, value);
  const [head, tail] = await Promise.all([
    call(items.slice(0, end), value),
    inRuns(items.slice(end), settingOf, call),
  ]);
  return [...head, ...tail];
}
