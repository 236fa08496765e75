/**
 * Lua scripts run with EVALSHA, falling back to EVAL once when the server does not know the script yet
 * (after a restart or SCRIPT FLUSH). Scripts are how the runtime makes read-check-write steps atomic.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type RedisArg = string | number;

export interface RedisScript {
  run(redis: Redis, keys: readonly string[], args: readonly RedisArg[]): Promise<unknown>;
}

export function redisScript(source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
        return await redis.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
