import { afterAll, describe, expect, it, vi } from 'vitest';
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

  it('writes a short claim token, unique per claim and per instance (an id of 12 characters and a counter)', async () => {
    const redis = connections[0]!;
    const [a, b] = [
      new RedisIdempotencyStore(redis, { prefix }),
      new RedisIdempotencyStore(redis, { prefix }),
    ];
    const keys = [uniqueName('token-a1'), uniqueName('token-a2'), uniqueName('token-b1')];
    await Promise.all([a.claim(keys[0]!, 10_000), a.claim(keys[1]!, 10_000), b.claim(keys[2]!, 10_000)]);
    const values = await Promise.all(keys.map((k) => redis.get(`${prefix}${k}`)));
    for (const value of values) expect(value).toMatch(/^c:[A-Za-z0-9_-]{12}\.[0-9a-z]+$/);
    expect(new Set(values).size).toBe(3);
    // The same instance: same id, another counter; another instance: another id.
    expect(values[0]!.slice(0, 15)).toBe(values[1]!.slice(0, 15));
    expect(values[2]!.slice(0, 15)).not.toBe(values[0]!.slice(0, 15));
    await a.commit(keys[0]!, 60_000);
    expect(await redis.get(`${prefix}${keys[0]}`)).toBe(`d:${values[0]!.slice(2)}`);
  });

  it('loads a script the server does not know yet (NOSCRIPT fallback to EVAL), then runs it by SHA', async () => {
    const redis = connections[1]!;
    const script = redisScript(`return ARGV[1] .. '${uniqueName('unique')}'`);
    expect(await script.run(redis, [], ['x'])).toMatch(/^xunique_/);
    expect(await script.run(redis, [], ['y'])).toMatch(/^yunique_/);
  });

  it('sends the claims and the commits made together as one script call each, with the single-key outcomes', async () => {
    const redis = connections[2]!;
    const store = new RedisIdempotencyStore(redis, { prefix });
    const calls = vi.spyOn(redis, 'evalsha');
    try {
      const keys = Array.from({ length: 50 }, (_, i) => uniqueName(`batch-${i}`));
      // The same key twice in one batch: the first claim takes it, the second finds it taken.
      const claims = await Promise.all([...keys, keys[0]!].map((k) => store.claim(k, 10_000)));
      expect(claims.slice(0, 50)).toEqual(keys.map(() => 'claimed'));
      expect(claims[50]).toBe('in-progress');
      expect(calls).toHaveBeenCalledTimes(1);
      expect(await Promise.all(keys.map((k) => store.commit(k, 60_000)))).toEqual(
        keys.map(() => 'committed'),
      );
      expect(calls).toHaveBeenCalledTimes(2);
      expect(await Promise.all(keys.slice(0, 3).map((k) => store.claim(k, 10_000)))).toEqual([
        'duplicate',
        'duplicate',
        'duplicate',
      ]);
    } finally {
      calls.mockRestore();
    }
  });

  it('in one commit batch, a key another owner took over is refused and keeps its claim; the others commit', async () => {
    const [a, b] = [0, 1].map((i) => new RedisIdempotencyStore(connections[4 + i]!, { prefix }));
    const [lost, kept] = [uniqueName('lost'), uniqueName('kept')];
    await Promise.all([a!.claim(lost, 200), a!.claim(kept, 10_000)]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await b!.claim(lost, 10_000)).toBe('claimed');
    const calls = vi.spyOn(connections[4]!, 'evalsha');
    try {
      expect(await Promise.all([a!.commit(lost, 60_000), a!.commit(kept, 60_000)])).toEqual([
        'lease-lost',
        'committed',
      ]);
      expect(calls).toHaveBeenCalledTimes(1);
    } finally {
      calls.mockRestore();
    }
    expect(await connections[0]!.get(`${prefix}${lost}`)).toMatch(/^c:/);
    expect(await b!.commit(lost, 60_000)).toBe('committed');
    expect(await a!.claim(kept, 10_000)).toBe('duplicate');
  });

  it('gives each key of a batch its own lease and TTL: one script call per run of equal leases or TTLs', async () => {
    const redis = connections[3]!;
    const store = new RedisIdempotencyStore(redis, { prefix });
    const keys = [1, 2, 3, 4].map((i) => uniqueName(`mixed-${i}`));
    const leases = [5_000, 5_000, 60_000, 5_000];
    const calls = vi.spyOn(redis, 'evalsha');
    try {
      const claims = await Promise.all(keys.map((k, i) => store.claim(k, leases[i]!)));
      expect(claims).toEqual(['claimed', 'claimed', 'claimed', 'claimed']);
      expect(calls).toHaveBeenCalledTimes(3);
      const ttls = await Promise.all(keys.map((k) => redis.pttl(`${prefix}${k}`)));
      ttls.forEach((ttl, i) => {
        expect(ttl).toBeGreaterThan(leases[i]! - 2_000);
        expect(ttl).toBeLessThanOrEqual(leases[i]!);
      });
      const marks = [60_000, 3_600_000, 3_600_000, 60_000];
      const commits = await Promise.all(keys.map((k, i) => store.commit(k, marks[i]!)));
      expect(commits).toEqual(['committed', 'committed', 'committed', 'committed']);
      expect(calls).toHaveBeenCalledTimes(6);
      const markTtls = await Promise.all(keys.map((k) => redis.pttl(`${prefix}${k}`)));
      markTtls.forEach((ttl, i) => {
        expect(ttl).toBeGreaterThan(marks[i]! - 2_000);
        expect(ttl).toBeLessThanOrEqual(marks[i]!);
      });
    } finally {
      calls.mockRestore();
    }
  });

  it('gets an empty reply from Redis when every claim is taken and every commit written (only refusals travel back)', async () => {
    const redis = connections[5]!;
    const store = new RedisIdempotencyStore(redis, { prefix });
    const keys = [1, 2, 3].map((i) => uniqueName(`quiet-${i}`));
    const calls = vi.spyOn(redis, 'evalsha');
    try {
      await Promise.all(keys.map((k) => store.claim(k, 10_000)));
      await Promise.all(keys.map((k) => store.commit(k, 60_000)));
      expect(await calls.mock.results[0]!.value).toEqual([]);
      expect(await calls.mock.results[1]!.value).toEqual([]);
      // A refused claim comes back as its index and the value holding the key.
      await store.claim(keys[1]!, 10_000);
      const refused = (await calls.mock.results[2]!.value) as unknown[];
      expect(refused).toHaveLength(2);
      expect(refused[0]).toBe(1);
      expect(String(refused[1])).toMatch(/^d:/);
    } finally {
      calls.mockRestore();
    }
  });

  it('sends one call per claim with maxBatch 1 (Redis Cluster without a shared hash tag)', async () => {
    const redis = connections[3]!;
    const store = new RedisIdempotencyStore(redis, { prefix, maxBatch: 1 });
    const calls = vi.spyOn(redis, 'evalsha');
    try {
      const results = await Promise.all([1, 2, 3].map((i) => store.claim(uniqueName(`single-${i}`), 10_000)));
      expect(results).toEqual(['claimed', 'claimed', 'claimed']);
      expect(calls).toHaveBeenCalledTimes(3);
    } finally {
      calls.mockRestore();
    }
  });
});
