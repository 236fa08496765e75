/**
 * A reply lost on the way back: Redis ran the idempotency store's claim (or commit), the connection broke before
 * the reply arrived, and ioredis sent the same command again after reconnecting. The store must recognise its
 * own claim in the second reply; taking it for another consumer's made the event wait out a whole lease
 * (70 s by default) before it was handled. The fault proxy holds the replies and then closes the connection,
 * in front of the shared Redis (no container needed).
 */
import { RedisIdempotencyStore } from 'eventwire/runtime';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, uniqueName } from '../../support/env.ts';
import { FaultProxy } from '../fault-proxy.ts';

const shared = new URL(REDIS_URL);
const prefix = `${uniqueName('ew-resend')}:`;
let proxy: FaultProxy;
let client: Redis;
let inspect: Redis;

beforeAll(async () => {
  proxy = await FaultProxy.start('redis-resend', {
    host: shared.hostname,
    port: Number(shared.port || 6379),
  });
  client = new Redis(proxy.address.port, proxy.address.host, { maxRetriesPerRequest: 5 });
  client.on('error', () => undefined);
  inspect = new Redis(REDIS_URL);
});

afterAll(async () => {
  client.disconnect();
  const keys = await inspect.keys(`${prefix}*`);
  if (keys.length > 0) await inspect.del(...keys);
  inspect.disconnect();
  await proxy.close();
});

/** Runs `call` with every reply held and the connection closed 300 ms later: the command ran, its reply is lost. */
async function withLostReply<T>(call: () => Promise<T>): Promise<T> {
  await client.ping();
  const resetsBefore = proxy.stats.closed;
  proxy.addToxic('lose-replies', { type: 'timeout', timeoutMs: 300, stream: 'downstream' });
  const result = call();
  await new Promise((resolve) => setTimeout(resolve, 400));
  proxy.removeToxic('lose-replies');
  expect(proxy.stats.closed).toBeGreaterThan(resetsBefore);
  return result;
}

describe('Redis idempotency store: a claim or commit whose reply was lost and which ioredis sent again', () => {
  it('claims: the resent claim finds its own token and is granted', async () => {
    const store = new RedisIdempotencyStore(client, { prefix });
    expect(await withLostReply(() => store.claim('order-1', 60_000))).toBe('claimed');
    expect(await inspect.get(`${prefix}order-1`)).toMatch(/^c:/);
    // Another consumer still sees it in progress, and the owner can commit it.
    expect(await new RedisIdempotencyStore(inspect, { prefix }).claim('order-1', 60_000)).toBe('in-progress');
    expect(await store.commit('order-1', 60_000)).toBe('committed');
  });

  it('commits: the resent commit finds its own done mark and reports it committed', async () => {
    const store = new RedisIdempotencyStore(client, { prefix });
    expect(await store.claim('order-2', 60_000)).toBe('claimed');
    expect(await withLostReply(() => store.commit('order-2', 60_000))).toBe('committed');
    expect(await inspect.get(`${prefix}order-2`)).toMatch(/^d:/);
  });
});
