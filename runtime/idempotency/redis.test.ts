import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, redisClient, uniqueName } from '../test/support.ts';
import { idempotencyContract } from './contract.ts';
import { redisScript } from '../redis-script.ts';
import { RedisIdempotencyStore } from './redis.ts';

const prefix = `${uniqueName('ew:idem')}:`;
const connections = Array.from({ length: 8 }, () => redisClient());
afterAll(async () => {
  await deleteKeys(connections[0]!, prefix);
  for (const connection of connections) connection.disconnect();
});

// Each instance has its own connection: concurrent claims really race inside Redis.
idempotencyContract('RedisIdempotencyStore', () => ({
  instances: (count) =>
    Array.from({ length: count }, (_, i) => new RedisIdempotencyStore(connections[i % 8]!, { prefix })),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));

describe('RedisIdempotencyStore specifics', () => {
  it('stores the claim with the lease as PX and the mark with the TTL (24 h default in contracts)', async () => {
    const redis = connections[0]!;
    const store = new RedisIdempotencyStore(redis, { prefix });
    await store.claim('ttl-check', 5000);
    const leaseTtl = await redis.pttl(`${prefix}ttl-check`);
    expect(leaseTtl).toBeGreaterThan(4000);
    expect(leaseTtl).toBeLessThanOrEqual(5000);
    expect(await redis.get(`${prefix}ttl-check`)).toMatch(/^c:/);
    await store.commit('ttl-check', 24 * 3600_000);
    expect(await redis.get(`${prefix}ttl-check`)).toMatch(/^d:/);
    expect(await redis.pttl(`${prefix}ttl-check`)).toBeGreaterThan(23 * 3600_000);
  });

  it('loads a script the server does not know yet (NOSCRIPT fallback to EVAL), then runs it by SHA', async () => {
    const redis = connections[1]!;
    const script = redisScript(`return ARGV[1] .. '${uniqueName('unique')}'`);
    expect(await script.run(redis, [], ['x'])).toMatch(/^xunique_/);
    expect(await script.run(redis, [], ['y'])).toMatch(/^yunique_/);
  });
});
