/**
 * Failures are visible: a service started with `createRuntime` whose handler always throws writes one JSON log
 * line per retry and one for the dead letter (event id, type, subscription, attempt, outcome, error, trace id),
 * with the contract's personal data masked in the error text; `onError` fires for every failed attempt; and
 * the dead letter's depth, size and age are read from the broker into the platform's metrics. Real Redis Streams
 * and real RabbitMQ, with the contracts' retry delays shortened to keep the test fast.
 */
import { Writable } from 'node:stream';
import {
  bind,
  createLogger,
  createRuntime,
  type EventLogger,
  type ServiceRuntime,
  type SubscriptionSpec,
  startConsumer,
} from 'eventwire/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import * as checkout from '../../generated/checkout/index.ts';
import * as identity from '../../generated/identity/index.ts';
import * as order from '../../generated/order/index.ts';
import { cartCheckedOut } from '../support/order-fixtures.ts';
import { until } from '../support/poll.ts';
import { createVhost, type Vhost } from '../support/rabbitmq.ts';
import { RedisNamespace } from '../support/redis.ts';
import { uniqueTag } from '../support/tags.ts';

const redis = new RedisNamespace('failure-logs');
const runtimes: ServiceRuntime[] = [];
const vhosts: Vhost[] = [];
afterAll(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.close()));
  await Promise.all(vhosts.map((vhost) => vhost.dispose()));
  await redis.dispose();
});

/** pino writing into an array: the lines a log collector would get, parsed. */
function capturedLogger(): { logger: EventLogger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** The contract's retry policy with millisecond delays: same number of retries, same dead letter. */
function fast(spec: SubscriptionSpec): SubscriptionSpec {
  const delaysMs = spec.retry.delaysMs.map((_, index) => 20 * 2 ** index);
  return { ...spec, retry: { ...spec.retry, backoff: 'fixed-delays', initialIntervalMs: 20, delaysMs } };
}

function failuresOf(lines: readonly Record<string, unknown>[], eventId: string) {
  return lines.filter((line) => line.event_id === eventId && line.outcome !== 'ack');
}

describe('a handler that always throws', () => {
  it('Redis Streams: a line per retry and the dead letter, PII masked, onError per attempt, DLQ metrics', async () => {
    const { logger, lines } = capturedLogger();
    const spec = fast(order.subscriptions.onCartCheckedOut);
    const settings = {
      redisStreams: { blockMs: 100 },
      redisPrefix: redis.prefix,
      version: '1.0.0',
    };
    const consumerSide = await createRuntime({ ...settings, contract: { subscriptions: { spec } }, logger });
    const publisherSide = await createRuntime({ ...settings, contract: checkout, logger: false });
    runtimes.push(consumerSide, publisherSide);
    const stages: string[] = [];
    const consumer = await startConsumer(
      consumerSide,
      [
        bind(
          spec,
          { 'checkout.cart.checked_out': checkout.validateCheckoutCartCheckedOut },
          async (event) => {
            const cart = event.data as checkout.CheckoutCartCheckedOut;
            throw new Error(`mail server refused ${cart.customer_email}`);
          },
        ),
      ],
      { onError: (_error, stage) => stages.push(stage) },
    );
    const cart = cartCheckedOut(uniqueTag(), 1);
    const sent = await checkout.createCheckoutPublisher(publisherSide).publishCheckoutCartCheckedOut(cart);
    await until('the dead-letter log line', () =>
      failuresOf(lines, sent.event_id).some((line) => line.outcome === 'dead-letter'),
    );
    await consumer.stop();

    const failures = failuresOf(lines, sent.event_id);
    const retries = spec.retry.maxRetries;
    expect(failures.map((line) => [line.level, line.attempt, line.outcome])).toEqual([
      ...Array.from({ length: retries }, (_, index) => ['warn', index + 1, 'retry']),
      ['error', retries + 1, 'dead-letter'],
    ]);
    const traceId = sent.metadata.traceparent?.split('-')[1];
    for (const line of failures) {
      expect(line).toMatchObject({
        event_type: 'checkout.cart.checked_out',
        service: 'order',
        subscription: 'cart-checked-out',
        trace_id: traceId,
        error: expect.stringContaining('mail server refused ***'),
      });
      expect(JSON.stringify(line)).not.toContain(cart.customer_email);
    }
    expect(failures.at(-1)).toMatchObject({
      reason: 'retries-exhausted',
      dead_letter: 'dlq.cart-checked-out',
    });
    expect(stages).toEqual(Array.from({ length: retries + 1 }, () => 'handler'));

    const metrics = await consumerSide.metrics.registry.metrics();
    const labels = '{service="order",topic="dlq.cart-checked-out"}';
    expect(metrics).toContain(`dlq_events_total${labels} 1`);
    expect(
      Number(new RegExp(`^dlq_size_bytes${escapeRegExp(labels)} (\\d+)$`, 'm').exec(metrics)?.[1]),
    ).toBeGreaterThan(0);
    const age = Number(
      new RegExp(`^dlq_age_seconds${escapeRegExp(labels)} ([\\d.e-]+)$`, 'm').exec(metrics)?.[1],
    );
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
    expect(metrics).toContain('events_dlq_total{service="order",topic="checkout.cart.checked_out"} 1');
  });

  it('RabbitMQ: the same lines, and the dead-letter queue depth read from the broker', async () => {
    const vhost = await createVhost('failure-logs');
    vhosts.push(vhost);
    const { logger, lines } = capturedLogger();
    const spec = fast(identity.subscriptions.onEmailEvent);
    const worker = await createRuntime({
      contract: { subscriptions: { spec } },
      amqpUrl: vhost.url,
      idempotency: 'memory',
      logger,
    });
    const api = await createRuntime({
      contract: identity,
      amqpUrl: vhost.url,
      idempotency: 'memory',
      logger: false,
    });
    runtimes.push(worker, api);
    const consumer = await startConsumer(worker, [
      bind(
        spec,
        { 'email.verification.requested': identity.validateEmailVerificationRequested },
        async (event) => {
          const request = event.data as identity.EmailVerificationRequested;
          throw new Error(`SMTP 550 for ${request.recipient}`);
        },
      ),
    ]);
    const recipient = `user-${uniqueTag()}@example.com`;
    const sent = await identity.createIdentityPublisher(api).publishEmailVerificationRequested({
      user_id: '3f1c9a52-7b4e-4d2a-9c61-0e8b5d7f2a13',
      recipient,
      otp_code: '482915',
      locale: 'vi',
      expires_at: '2026-01-30T10:40:00Z',
    });
    await until('the dead-letter log line', () =>
      failuresOf(lines, sent.event_id).some((line) => line.outcome === 'dead-letter'),
    );
    await consumer.stop();
    const failures = failuresOf(lines, sent.event_id);
    expect(failures.map((line) => line.outcome)).toEqual([
      ...Array.from({ length: spec.retry.maxRetries }, () => 'retry'),
      'dead-letter',
    ]);
    for (const line of failures) {
      expect(line.error).toContain('SMTP 550 for ***');
      expect(JSON.stringify(line)).not.toContain(recipient);
    }
    await until('the dead-letter queue holds the event', async () =>
      (await worker.metrics.registry.metrics()).includes(
        'dlq_events_total{service="identity",topic="email.errors"} 1',
      ),
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[{}"]/g, (char) => `\\${char}`);
}
