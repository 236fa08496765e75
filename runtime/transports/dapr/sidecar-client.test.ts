import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { memoryAttemptTracker, redisAttemptTracker } from './attempts.ts';
import { FakeSidecar } from '../../../harness/testing/dapr-sidecar/sidecar.ts';
import { DaprSidecarClient, DaprSidecarError } from './sidecar-client.ts';
import { cloudEventMessage } from './test-support.ts';
import { createDaprTransport } from './transport.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function transportWithSidecar(
  reject?: (topic: string, event: Record<string, unknown>) => string | undefined,
) {
  const sidecar = await FakeSidecar.start(reject ? { rejectPublish: reject } : {});
  const transport = createDaprTransport({ httpPort: sidecar.port, appPort: 0, listen: 'manual' });
  cleanups.push(
    () => sidecar.close(),
    () => transport.close(),
  );
  return { sidecar, transport };
}

describe('Dapr publish errors', () => {
  it('types a refused publish with status, errorCode and body (unknown pub/sub: 404, pkg/api/errors/pubsub.go)', async () => {
    const { transport } = await transportWithSidecar();
    const message = cloudEventMessage('orders', {});
    const error = await transport
      .publish([{ ...message, destination: { kind: 'topic', pubsub: 'nope', topic: 'orders' } }])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DaprSidecarError);
    expect(error).toMatchObject({ status: 404, errorCode: 'ERR_PUBSUB_NOT_FOUND' });
    expect((error as DaprSidecarError).message).toMatch(
      /publish to nope\/orders: HTTP 404 ERR_PUBSUB_NOT_FOUND/,
    );
    expect((error as DaprSidecarError).body).toContain('pubsub nope not found');
  });

  it('reports the failed entries of a bulk publish', async () => {
    const { sidecar, transport } = await transportWithSidecar((_topic, event) =>
      (event.data as { n: number }).n === 2 ? 'broker full' : undefined,
    );
    const messages = [1, 2, 3].map((n) => cloudEventMessage('orders', { n }));
    const error = (await transport.publish(messages).catch((caught: unknown) => caught)) as DaprSidecarError;
    expect(error).toBeInstanceOf(DaprSidecarError);
    expect(error.status).toBe(500);
    expect(error.failedEntries).toEqual([{ entryId: messages[1]!.eventId, error: 'broker full' }]);
    expect(sidecar.published.map((event) => event.cloudEvent.id)).toEqual([
      messages[0]!.eventId,
      messages[2]!.eventId,
    ]);
  });

  it('says where the sidecar was expected when nothing listens', async () => {
    const client = new DaprSidecarClient({ httpPort: 1, timeoutMs: 2_000 });
    cleanups.push(() => client.close());
    await expect(client.publish('pubsub', 'orders', Buffer.from('{}'), 'application/json')).rejects.toThrow(
      /Dapr sidecar at http:\/\/127\.0\.0\.1:1 unreachable/,
    );
  });
});

describe('attempt trackers', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  afterAll(() => redis.disconnect());

  it('count per key, forget on a final outcome, and expire', async () => {
    const prefix = `ew-test:attempts:${Math.random().toString(36).slice(2)}:`;
    for (const tracker of [
      memoryAttemptTracker({ ttlMs: 300 }),
      redisAttemptTracker(redis, { prefix, ttlMs: 300 }),
    ]) {
      expect([await tracker.next('a'), await tracker.next('a'), await tracker.next('b')]).toEqual([1, 2, 1]);
      await tracker.forget('a');
      expect(await tracker.next('a')).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await tracker.next('b')).toBe(1);
      await tracker.forget('a');
      await tracker.forget('b');
    }
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });

  it('evicts the least recently used key beyond maxKeys (memory)', async () => {
    const tracker = memoryAttemptTracker({ maxKeys: 2 });
    await tracker.next('old');
    await tracker.next('kept');
    await tracker.next('kept');
    await tracker.next('new');
    expect(await tracker.next('kept')).toBe(3);
    expect(await tracker.next('old')).toBe(1);
  });
});
