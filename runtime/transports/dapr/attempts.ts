/**
 * Attempt numbers for Dapr deliveries. daprd sends no delivery count to the app, so the app counts deliveries
 * itself, per subscription and CloudEvent id: the first POST of an event is attempt 1, every redelivery (Dapr
 * resiliency retry, component redelivery, a retry after a restart) one more, except after a wait (the pipeline's
 * `retry` with `wait`: another consumer's claim, an ordering predecessor), whose count is taken back. The count is forgotten once the
 * event reached a final outcome (acknowledged or dead-lettered) and expires after `ttlMs` in any case.
 *
 * The in-memory tracker is right for a single replica. With several replicas Dapr's component may redeliver to
 * another one, so share the count through Redis (`redisAttemptTracker`).
 */
import type { Redis } from 'ioredis';

export interface AttemptTracker {
  /** Records one more delivery of `key` and returns its number (1 on the first). */
  next(key: string): Promise<number>;
  /** Forgets `key` once its message reached a final outcome. */
  forget(key: string): Promise<void>;
  /** Takes back the delivery just counted for `key`: it ended in a wait, which spends no attempt. */
  waited(key: string): Promise<void>;
}

export interface AttemptTrackerOptions {
  /** How long a count survives without a final outcome; longer than the whole retry schedule. Default 24h. */
  readonly ttlMs?: number;
}

export function memoryAttemptTracker(options: AttemptTrackerOptions & { readonly maxKeys?: number } = {}) {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const maxKeys = options.maxKeys ?? 100_000;
  // Map iteration follows insertion order: re-inserting on use makes the first key the least recently used.
  const counts = new Map<string, { count: number; expiresAt: number }>();
  const tracker: AttemptTracker = {
    async next(key) {
      const now = Date.now();
      const previous = counts.get(key);
      const count = previous && previous.expiresAt > now ? previous.count + 1 : 1;
      counts.delete(key);
      counts.set(key, { count, expiresAt: now + ttlMs });
      while (counts.size > maxKeys) counts.delete(counts.keys().next().value!);
      return count;
    },
    async forget(key) {
      counts.delete(key);
    },
    async waited(key) {
      const current = counts.get(key);
      if (current && current.count > 0) counts.set(key, { ...current, count: current.count - 1 });
    },
  };
  return tracker;
}

export function redisAttemptTracker(
  redis: Redis,
  options: AttemptTrackerOptions & { readonly prefix?: string } = {},
): AttemptTracker {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const prefix = options.prefix ?? 'eventwire:dapr-attempts:';
  return {
    async next(key) {
      const results = await redis
        .multi()
        .incr(prefix + key)
        .pexpire(prefix + key, ttlMs)
        .exec();
      const [error, count] = results?.[0] ?? [new Error('attempt counter transaction was discarded')];
      if (error) throw error;
      return Number(count);
    },
    async forget(key) {
      await redis.del(prefix + key);
    },
    async waited(key) {
      await redis
        .multi()
        .decr(prefix + key)
        .pexpire(prefix + key, ttlMs)
        .exec();
    },
  };
}
