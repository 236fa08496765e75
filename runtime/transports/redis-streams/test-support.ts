/** Helpers shared by this folder's tests (real Redis at REDIS_URL, unique stream names per test). */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SubscriptionSpec } from '../../spec.ts';
import type { OutgoingMessage } from '../../transport.ts';
import type { RedisStreamsTransportOptions } from './options.ts';
import { createRedisStreamsTransport, type RedisStreamsTransport } from './transport.ts';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueName(label: string): string {
  return `ew-test:${label}:${randomUUID().slice(0, 8)}`;
}

export function subscriptionSpec(topic: string, overrides: Partial<SubscriptionSpec> = {}): SubscriptionSpec {
  const name = overrides.name ?? `sub-${randomUUID().slice(0, 6)}`;
  return {
    operation: 'consumeTest',
    service: 'test-service',
    name,
    route: `/events/${name}`,
    source: { kind: 'topic', pubsub: 'pubsub', topic },
    eventTypes: ['test.thing.happened'],
    retry: {
      maxRetries: 3,
      backoff: 'exponential',
      initialIntervalMs: 20,
      maxIntervalMs: 200,
      multiplier: 2,
      delaysMs: [],
    },
    deadLetter: { address: `${topic}:dlq` },
    idempotency: { key: '$message.header#/event_id', ttlMs: 60_000, store: 'memory' },
    handlerTimeoutMs: 5_000,
    concurrency: 4,
    ...overrides,
  };
}

/** A CloudEvent body, written here by hand because the transport treats bodies as opaque bytes. */
export function cloudEventBody(id: string, topic: string, data: unknown): Buffer {
  return Buffer.from(
    JSON.stringify({
      specversion: '1.0',
      id,
      source: 'test-service',
      type: 'test.thing.happened',
      datacontenttype: 'application/json',
      topic,
      pubsubname: 'pubsub',
      data,
    }),
  );
}

export function message(topic: string, index: number, headers: Record<string, string> = {}): OutgoingMessage {
  const eventId = `evt-${index}-${randomUUID().slice(0, 6)}`;
  return {
    destination: { kind: 'topic', pubsub: 'pubsub', topic },
    eventId,
    eventType: 'test.thing.happened',
    body: cloudEventBody(eventId, topic, { index }),
    contentType: 'application/cloudevents+json',
    headers,
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs}ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Opens transports and a raw client for a test file and removes every key the tests touched. */
export function redisFixture() {
  const transports: RedisStreamsTransport[] = [];
  const keys = new Set<string>();
  const raw = new Redis(redisUrl, { lazyConnect: true });
  return {
    raw,
    track(...names: string[]): void {
      for (const name of names) keys.add(name);
    },
    /** The tests here address each subscription's group by the subscription's name (the default is the service's). */
    transport(options: RedisStreamsTransportOptions = {}): RedisStreamsTransport {
      const transport = createRedisStreamsTransport({
        url: redisUrl,
        blockMs: 500,
        group: (spec) => spec.name,
        ...options,
      });
      transports.push(transport);
      return transport;
    },
    async cleanup(): Promise<void> {
      await Promise.all(transports.splice(0).map((transport) => transport.close()));
      if (keys.size > 0) await raw.del(...keys);
      keys.clear();
    },
    async close(): Promise<void> {
      raw.disconnect();
    },
  };
}

export async function pendingCount(raw: Redis, stream: string, group: string): Promise<number> {
  const summary = (await raw.call('XPENDING', stream, group)) as [number, ...unknown[]];
  return Number(summary[0]);
}
