/**
 * Hostile input on the real Redis, through the whole consumer (startConsumer -> pipeline -> this transport, Redis
 * idempotency store): every message reaches a final outcome, later messages are still handled, memory stays
 * bounded, waits on another consumer's claim spend no attempt, and connection errors reach the logger.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../../api.ts';
import { bind } from '../../consume/bind.ts';
import { startConsumer } from '../../consume/consumer.ts';
import { RedisIdempotencyStore } from '../../idempotency/redis.ts';
import { publishEvent } from '../../publish.ts';
import type { PublicationSpec, SubscriptionSpec } from '../../spec.ts';
import { acceptingValidator, deleteKeys } from '../../test/support.ts';
import type { TransportLogger } from './options.ts';
import type { Outcome } from '../../transport.ts';
import {
  message,
  pendingCount,
  redisFixture,
  subscriptionSpec,
  uniqueName,
  waitFor,
} from './test-support.ts';
import { createRedisStreamsTransport } from './transport.ts';

const fixture = redisFixture();
const prefix = `${uniqueName('ew:hostile-idem')}:`;
afterEach(() => fixture.cleanup());
afterAll(async () => {
  await deleteKeys(fixture.raw, prefix);
  await fixture.close();
});

const accepting = acceptingValidator<unknown>();

function publication(topic: string): PublicationSpec {
  return {
    operation: 'publishThing',
    service: 'test-publisher',
    eventType: 'test.thing.happened',
    version: '1.0',
    destination: { kind: 'topic', pubsub: 'pubsub', topic },
    parameters: [],
  };
}

function runtimeOn(topic: string, options: Parameters<typeof fixture.transport>[0] = {}) {
  const transport = fixture.transport(options);
  const runtime: Runtime = {
    service: { name: 'test-service', version: '1' },
    transport,
    idempotency: new RedisIdempotencyStore(fixture.raw, { prefix }),
  };
  return {
    transport,
    runtime,
    publish: (n: number) => publishEvent(runtime, publication(topic), accepting, { n }),
  };
}

/** Dead-letter stream entries as field maps. */
async function deadLetters(stream: string): Promise<Record<string, string>[]> {
  const entries = (await fixture.raw.xrange(stream, '-', '+')) as [string, string[]][];
  return entries.map(([, fields]) => {
    const map: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
    return map;
  });
}

describe('Redis Streams transport: hostile input', () => {
  it('a consumer killed mid-handler, a wait through its claim, then one transient failure: handled, not dead-lettered', async () => {
    const topic = uniqueName('crash-wait');
    const spec: SubscriptionSpec = subscriptionSpec(topic, {
      idempotency: { key: '$message.header#/event_id', ttlMs: 60_000, store: 'redis' },
      retry: {
        maxRetries: 3,
        backoff: 'exponential',
        initialIntervalMs: 40,
        maxIntervalMs: 80,
        multiplier: 2,
        delaysMs: [],
      },
    });
    fixture.track(topic, spec.deadLetter.address);
    const recovery = { processingTimeoutMs: 300, claimIntervalMs: 100, leaseRenewIntervalMs: 100 };
    const { runtime, publish } = runtimeOn(topic, recovery);
    await fixture.raw.call('XGROUP', 'CREATE', topic, spec.name, '0', 'MKSTREAM');
    const envelope = await publish(1);
    // What a consumer killed mid-handler leaves behind: the entry pending on it, its claim alive for the lease.
    await fixture.raw.call('XREADGROUP', 'GROUP', spec.name, 'killed', 'COUNT', 1, 'STREAMS', topic, '>');
    await fixture.raw.set(`${prefix}test-service:${spec.name}:${envelope.event_id}`, 'c:killed', 'PX', 2_000);

    const attempts: number[] = [];
    const consumer = await startConsumer(runtime, [
      bind(spec, { 'test.thing.happened': accepting }, async (_event, context) => {
        attempts.push(context.attempt);
        if (attempts.length === 1) throw new Error('transient');
      }),
    ]);
    await waitFor(() => attempts.length === 2, 15_000);
    await waitFor(async () => (await pendingCount(fixture.raw, topic, spec.name)) === 0);
    await consumer.stop();
    // The takeover of the killed consumer's entry counts (attempt 2); the waits on its claim did not.
    expect(attempts).toEqual([2, 3]);
    expect(await deadLetters(spec.deadLetter.address)).toEqual([]);
  });

  it('a wait is redelivered at the same attempt, also when its consumer stops and another takes it over', async () => {
    const topic = uniqueName('waits');
    const spec = subscriptionSpec(topic);
    fixture.track(topic);
    const recovery = { processingTimeoutMs: 300, claimIntervalMs: 100, leaseRenewIntervalMs: 100 };
    const seen: { consumer: string; attempt: number }[] = [];
    const first = fixture.transport({ ...recovery, consumerName: 'first' });
    const firstHandle = await first.subscribe(spec, async (delivery): Promise<Outcome> => {
      seen.push({ consumer: 'first', attempt: delivery.attempt });
      // Three quick waits, then one long one that is still backing off when the consumer stops.
      const delayMs = seen.length < 4 ? 20 : 60_000;
      return { kind: 'retry', delayMs, error: 'claimed elsewhere', wait: true };
    });
    await first.publish([message(topic, 1)]);
    await waitFor(() => seen.length === 4);
    await firstHandle.stop();
    const second = fixture.transport({ ...recovery, consumerName: 'second' });
    await second.subscribe(spec, async (delivery) => {
      seen.push({ consumer: 'second', attempt: delivery.attempt });
      return { kind: 'ack' };
    });
    await waitFor(() => seen.length === 5);
    expect(seen.map((s) => s.attempt)).toEqual([1, 1, 1, 1, 1]);
    expect(seen[4]!.consumer).toBe('second');
  });

  it('dead-letters oversized entries unread, with memory bounded, and still handles the entries behind them', async () => {
    const topic = uniqueName('oversized');
    const spec = subscriptionSpec(topic, { concurrency: 1 });
    fixture.track(topic, spec.deadLetter.address);
    const { runtime, publish } = runtimeOn(topic, { maxQueuedBytes: 8 * 1024 * 1024 });
    const handled: number[] = [];
    await fixture.raw.call('XGROUP', 'CREATE', topic, spec.name, '0', 'MKSTREAM');
    // Sixteen 8 MB entries written straight to the stream (a publisher that ignores the 256 KiB limit).
    const big = Buffer.from(JSON.stringify({ event_id: 'x', pad: 'p'.repeat(8 * 1024 * 1024) }));
    for (let i = 0; i < 16; i++) await fixture.raw.xadd(topic, '*', 'data', big);
    for (let i = 0; i < 3; i++) await publish(i);

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const consumer = await startConsumer(runtime, [
      bind(spec, { 'test.thing.happened': accepting }, async (event) => {
        handled.push((event.data as { n: number }).n);
      }),
    ]);
    try {
      await waitFor(() => handled.length === 3, 60_000);
      await waitFor(async () => (await pendingCount(fixture.raw, topic, spec.name)) === 0, 60_000);
    } finally {
      clearInterval(sampler);
      await consumer.stop();
    }
    const dead = await deadLetters(spec.deadLetter.address);
    expect(dead).toHaveLength(16);
    expect(new Set(dead.map((d) => d.reason))).toEqual(new Set(['too-large']));
    expect(dead[0]!.data!.length).toBe(big.length);
    expect(handled.sort()).toEqual([0, 1, 2]);
    // 128 MB went through: read in one go (as before) it all sits in memory at once.
    expect((peak - baseline) / 2 ** 20).toBeLessThan(120);
  }, 180_000);

  it('writes a dead letter of about the body’s size, however long the refused field', async () => {
    const topic = uniqueName('echo');
    const spec = subscriptionSpec(topic);
    fixture.track(topic, spec.deadLetter.address);
    const { runtime, publish } = runtimeOn(topic);
    const envelope = await publish(1);
    // An event type of 200 KB (under the size limit): before, it was repeated in both error fields.
    const body = JSON.stringify({
      ...envelope,
      event_id: randomUUID(),
      event_type: `t.${'y'.repeat(200_000)}`,
    });
    await fixture.raw.xadd(topic, '*', 'data', body);
    const consumer = await startConsumer(runtime, [
      bind(spec, { 'test.thing.happened': accepting }, async () => {}),
    ]);
    await waitFor(async () => (await deadLetters(spec.deadLetter.address)).length === 1);
    await consumer.stop();
    const [dead] = await deadLetters(spec.deadLetter.address);
    expect(dead!.reason).toBe('decode-error');
    expect(dead!.error!.length).toBeLessThanOrEqual(1000);
    const entryBytes = Object.entries(dead!).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
    expect(entryBytes).toBeLessThan(body.length + 4_000);
  });

  it('sends connection errors to the logger once per outage, never to stderr through ioredis', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const logger: TransportLogger = { warn: vi.fn(), error: vi.fn() };
    const transport = createRedisStreamsTransport({
      url: 'redis://127.0.0.1:1',
      logger,
      // A few quick reconnects, then give up, so the test ends.
      redisOptions: { retryStrategy: (times) => (times < 6 ? 20 : null) },
    });
    const subscribing = transport.subscribe(subscriptionSpec(uniqueName('down')), async () => ({
      kind: 'ack',
    }));
    subscribing.catch(() => undefined);
    try {
      await waitFor(() => vi.mocked(logger.error).mock.calls.length >= 2, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const ioredis = consoleError.mock.calls.filter((call) => String(call[0]).includes('[ioredis]'));
      expect(ioredis).toEqual([]);
      const messages = vi.mocked(logger.error).mock.calls.map((call) => call[0]);
      expect(messages.sort()).toEqual([
        expect.stringMatching(/^Redis blocking read \(sub-\w+\) connection failed; reconnecting$/),
        'Redis command connection failed; reconnecting',
      ]);
      expect(vi.mocked(logger.error).mock.calls[0]?.[1]).toMatchObject({
        error: expect.stringContaining('ECONNREFUSED'),
      });
    } finally {
      consoleError.mockRestore();
      await Promise.race([transport.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    }
  });
});
