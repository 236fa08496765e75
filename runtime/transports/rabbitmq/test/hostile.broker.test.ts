/**
 * Hostile input on the real broker, through the whole consumer (startConsumer -> pipeline -> this transport):
 * every message reaches a final outcome within a few deliveries, the messages behind it are still handled, the
 * connection stays up, attempt counts come from the transport (never from a publisher's headers), and waits on
 * another consumer's claim spend no attempt.
 */
import { type ChannelModel, connect, type GetMessage, type Options } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../api.ts';
import { bind } from '../../../consume/bind.ts';
import { type ConsumerOptions, startConsumer } from '../../../consume/consumer.ts';
import { MemoryIdempotencyStore } from '../../../idempotency/memory.ts';
import { createEventMetrics, type EventMetrics } from '../../../metrics.ts';
import { publishEvent } from '../../../publish.ts';
import type { PublicationSpec, SubscriptionSpec } from '../../../spec.ts';
import { acceptingValidator } from '../../../test/support.ts';
import type { OutgoingMessage } from '../../../transport.ts';
import type { RabbitTransportEvent } from '../connection.ts';
import { createRabbitMqTransport, PublishError, type RabbitMqTransport } from '../index.ts';
import { DEFAULT_DELIVERY_LIMIT } from '../topology.ts';
import { createTestVhost, listTopology, readyCount, type TestVhost, waitFor, workSpec } from './broker.ts';
import { nestedTable, publishRaw } from './raw-amqp.ts';

let vhost: TestVhost;
let transport: RabbitMqTransport;
let raw: ChannelModel;
const events: RabbitTransportEvent[] = [];

beforeAll(async () => {
  vhost = await createTestVhost('hostile');
  transport = await createRabbitMqTransport({
    url: vhost.url,
    connectionName: 'hostile-test',
    onEvent: (event) => events.push(event),
  });
  raw = await connect(vhost.url);
});

afterAll(async () => {
  await transport?.close();
  await raw?.close().catch(() => {});
  await vhost?.dispose();
});

const accepting = acceptingValidator<unknown>();

function publication(name: string): PublicationSpec {
  return {
    operation: `publish-${name}`,
    service: 'hostile-publisher',
    eventType: `${name}.happened`,
    version: '1.0',
    destination: { kind: 'amqp', exchange: 'events', exchangeType: 'topic', routingKey: `${name}.happened` },
    parameters: [],
  };
}

interface Consumed {
  readonly runtime: Runtime;
  readonly metrics: EventMetrics;
  readonly handled: number[];
  readonly attempts: number[];
  stop(): Promise<void>;
  publish(n: number): Promise<unknown>;
}

async function consume(
  spec: SubscriptionSpec,
  fail: (attempt: number, calls: number) => boolean = () => false,
  options: ConsumerOptions & { readonly idempotency?: MemoryIdempotencyStore } = {},
): Promise<Consumed> {
  const metrics = createEventMetrics();
  const runtime: Runtime = {
    service: { name: 'test', version: '1' },
    transport,
    idempotency: options.idempotency ?? new MemoryIdempotencyStore(),
    metrics,
  };
  const handled: number[] = [];
  const attempts: number[] = [];
  const consumer = await startConsumer(
    runtime,
    [
      bind(spec, { [spec.eventTypes[0]!]: accepting }, async (event, context) => {
        attempts.push(context.attempt);
        if (fail(context.attempt, attempts.length)) throw new Error('transient');
        handled.push((event.data as { n: number }).n);
      }),
    ],
    options,
  );
  const name = spec.name;
  return {
    runtime,
    metrics,
    handled,
    attempts,
    stop: () => consumer.stop(),
    publish: (n) => publishEvent(runtime, publication(name), accepting, { n }),
  };
}

async function deliveriesCounted(metrics: EventMetrics): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'events_consumed_total');
  return (metric?.values ?? []).reduce((sum, v) => sum + Number(v.value), 0);
}

async function nextDeadLetter(queue: string): Promise<GetMessage> {
  const channel = await raw.createChannel();
  try {
    return await waitFor(`a dead letter in ${queue}`, async () => {
      const message = await channel.get(queue, { noAck: true });
      return message === false ? undefined : message;
    });
  } finally {
    await channel.close();
  }
}

const queueDepth = (queue: string) => readyCount(raw, queue);

/** Publishes as any client may, bypassing the runtime: whatever body and headers a publisher chooses. */
async function publishDirect(routingKey: string, body: Buffer, options: Options.Publish): Promise<void> {
  const channel = await raw.createConfirmChannel();
  channel.publish('events', routingKey, body, options);
  await channel.waitForConfirms();
  await channel.close();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RabbitMQ transport: hostile input', () => {
  it('dead-letters a message whose header table is nested 9,000 levels deep, keeps the connection, handles the rest', async () => {
    const spec = workSpec('nested');
    const consumed = await consume(spec);
    const before = events.filter((e) => e.type === 'disconnected').length;
    try {
      await publishRaw(vhost.url, {
        exchange: 'events',
        routingKey: 'nested.happened',
        body: Buffer.from('{"poison":true}'),
        headersTable: nestedTable(9_000),
        messageId: 'poison-1',
        type: 'nested.happened',
      });
      for (const n of [1, 2, 3]) await consumed.publish(n);
      await waitFor('the three events behind it', async () =>
        consumed.handled.length === 3 ? true : undefined,
      );
      const dead = await nextDeadLetter('nested.errors');
      expect(dead.content.toString()).toBe('{"poison":true}');
      expect(dead.properties.headers?.['x-eventwire-dead-letter-reason']).toBe('decode-error');
      expect(String(dead.properties.headers?.['x-eventwire-dead-letter-error'])).toMatch(
        /AMQP properties could not be decoded \(Maximum call stack size exceeded\)/,
      );
      expect(events.filter((e) => e.type === 'disconnected').length).toBe(before);
    } finally {
      await consumed.stop();
    }
  });

  it('dead-letters, with its reason, a message whose 65,300 bytes of headers do not fit a copy, in one delivery', async () => {
    const spec = workSpec('fat-headers');
    const consumed = await consume(spec);
    try {
      await publishDirect('fat-headers.happened', Buffer.from('not json'), {
        messageId: 'fat-1',
        headers: { traceparent: '00-1', big: 'b'.repeat(65_300) },
      });
      const dead = await nextDeadLetter('fat-headers.errors');
      expect(dead.content.toString()).toBe('not json');
      expect(dead.properties.headers).toMatchObject({
        'x-eventwire-dead-letter-reason': 'decode-error',
        'x-eventwire-dropped-headers': 'big',
        traceparent: '00-1',
      });
      await sleep(500);
      expect(await deliveriesCounted(consumed.metrics)).toBe(1);
      expect(await queueDepth('fat-headers.work')).toBe(0);
    } finally {
      await consumed.stop();
    }
  });

  it('dead-letters a body over the envelope limit as too-large, unread and unchanged, and handles the next', async () => {
    const spec = workSpec('oversized');
    const consumed = await consume(spec);
    try {
      const body = Buffer.from(JSON.stringify({ pad: 'p'.repeat(1024 * 1024) }));
      await publishDirect('oversized.happened', body, { messageId: 'big-1' });
      await consumed.publish(1);
      await waitFor('the event behind it', async () => (consumed.handled.length === 1 ? true : undefined));
      const dead = await nextDeadLetter('oversized.errors');
      expect(dead.properties.headers?.['x-eventwire-dead-letter-reason']).toBe('too-large');
      expect(dead.content.equals(body)).toBe(true);
    } finally {
      await consumed.stop();
    }
  });

  it('takes no attempt count from a publisher: x-eventwire-attempt "7" does not make the first failure final', async () => {
    const spec = workSpec('forged-attempt');
    const consumed = await consume(spec, (_attempt, calls) => calls === 1);
    try {
      const envelope = await publishEvent(consumed.runtime, publication('forged-attempt'), accepting, {
        n: 1,
      });
      const forged = Buffer.from(JSON.stringify({ ...envelope, event_id: 'forged-1' }));
      await publishDirect('forged-attempt.happened', forged, {
        messageId: 'forged-1',
        headers: { 'x-eventwire-attempt': '7' },
      });
      await waitFor('both events handled', async () => (consumed.handled.length === 2 ? true : undefined));
      // The first event (published normally) and the forged one: each first delivery is attempt 1.
      expect(consumed.attempts.filter((a) => a === 1)).toHaveLength(2);
      expect(consumed.attempts).toContain(2);
      expect(await queueDepth('forged-attempt.errors')).toBe(0);
    } finally {
      await consumed.stop();
    }
  });

  it('waiting out another consumer’s claim spends no attempt: then one transient failure is retried, not dead-lettered', async () => {
    const spec = workSpec('claimed-elsewhere', {
      idempotency: { key: '$message.payload#/n', ttlMs: 60_000, store: 'memory' },
    });
    const idempotency = new MemoryIdempotencyStore();
    // A consumer killed mid-handler left its claim behind, alive for 1.5 s more.
    await idempotency.asOwner().claim('test:claimed-elsewhere:1', 1_500);
    const consumed = await consume(spec, (_attempt, calls) => calls === 1, { idempotency });
    try {
      await consumed.publish(1);
      await waitFor('the event handled', async () => (consumed.handled.length === 1 ? true : undefined));
      expect(consumed.attempts).toEqual([1, 2]);
      // Waits went through the delay queue meanwhile (200 ms each), none of them counted: every delivery beyond
      // the failure at attempt 1 and the success at attempt 2 was one.
      expect(await deliveriesCounted(consumed.metrics)).toBeGreaterThanOrEqual(3);
      expect(await queueDepth('claimed-elsewhere.errors')).toBe(0);
    } finally {
      await consumed.stop();
    }
  });

  it('with maxRetries 0 (no delay queues), a wait waits in the consumer instead of being dead-lettered', async () => {
    const spec = workSpec('no-retries', {
      retry: {
        maxRetries: 0,
        backoff: 'constant',
        initialIntervalMs: 100,
        maxIntervalMs: 100,
        multiplier: 1,
        delaysMs: [],
      },
      idempotency: { key: '$message.payload#/n', ttlMs: 60_000, store: 'memory' },
    });
    const idempotency = new MemoryIdempotencyStore();
    await idempotency.asOwner().claim('test:no-retries:1', 1_000);
    const consumed = await consume(spec, () => false, { idempotency });
    try {
      await consumed.publish(1);
      await waitFor('the event handled', async () => (consumed.handled.length === 1 ? true : undefined));
      expect(consumed.attempts).toEqual([1]);
      expect(await queueDepth('no-retries.errors')).toBe(0);
    } finally {
      await consumed.stop();
    }
  });

  it('refuses a routing key over 255 bytes at once, naming the limit', async () => {
    const message: OutgoingMessage = {
      destination: {
        kind: 'amqp',
        exchange: 'events',
        exchangeType: 'topic',
        routingKey: `k.${'r'.repeat(300)}`,
      },
      eventId: 'long-key-1',
      eventType: 'long.happened',
      body: Buffer.from('{}'),
      contentType: 'application/json',
      headers: {},
    };
    const started = performance.now();
    const error = await transport.publish([message]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect(String((error as Error).message)).toMatch(/routing key is 302 bytes, over AMQP's 255-byte limit/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('declares work queues with a delivery limit, and keeps one declared earlier without it', async () => {
    const spec = workSpec('limited');
    const consumed = await consume(spec);
    await consumed.stop();
    const limited = (await listTopology(vhost.name)).queues.find((q) => q.name === 'limited.work');
    expect(limited?.arguments).toMatchObject({ 'x-delivery-limit': 20 });
    expect(DEFAULT_DELIVERY_LIMIT).toBe(20);
    // A queue of an earlier version: RabbitMQ cannot add the argument, so the transport starts without it.
    const channel = await raw.createChannel();
    await channel.assertQueue('legacy.work', {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': 'legacy.work.dlx',
        'x-dead-letter-routing-key': 'legacy.errors',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
    await channel.close();
    const legacy = await consume(workSpec('legacy'));
    try {
      await legacy.publish(1);
      await waitFor('the event handled', async () => (legacy.handled.length === 1 ? true : undefined));
      expect(events).toContainEqual({ type: 'queue-without-delivery-limit', queue: 'legacy.work' });
    } finally {
      await legacy.stop();
    }
  });
});
