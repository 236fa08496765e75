import { describe, expect, it } from 'vitest';
import { BuildContext } from './build-context.ts';
import type { ChannelDraft } from './build-channels.ts';
import { buildDelivery, retryDelays } from './delivery.ts';
import type { DeliveryPolicy, RetryPolicy } from './types.ts';

describe('retry delays', () => {
  const policy = (backoff: RetryPolicy['backoff'], maxRetries = 4): Omit<RetryPolicy, 'delays'> => ({
    maxRetries,
    backoff,
    initialInterval: 1000,
    maxInterval: 5000,
    multiplier: 2,
  });
  it.each([
    ['exponential, capped at maxInterval', policy('exponential'), undefined, [1000, 2000, 4000, 5000]],
    ['constant', policy('constant', 3), undefined, [1000, 1000, 1000]],
    ['fixed delays as written', policy('fixed-delays', 3), [1000, 10_000, 60_000], [1000, 10_000, 60_000]],
    ['no retries', policy('exponential', 0), undefined, []],
  ])('%s', (_, retry, explicit, expected) => {
    expect(retryDelays(retry, explicit)).toEqual(expected);
  });
});

const topic: ChannelDraft = {
  key: 'topic:pubsub:catalog.product.created',
  id: 'productCreated',
  address: 'catalog.product.created',
  parameters: [],
  binding: { kind: 'topic', pubsub: 'pubsub' },
  messages: new Map(),
  servers: [],
  source: { file: 'search.yaml', pointer: '/channels/productCreated' },
};
const amqp: ChannelDraft = {
  ...topic,
  key: 'amqp:/:notifications:email.#',
  address: 'email.#',
  binding: {
    kind: 'amqp',
    exchange: { name: 'notifications', type: 'topic', durable: true, autoDelete: false, vhost: '/' },
    routingKey: 'email.#',
  },
};
const source = { file: 'search.yaml', pointer: '/operations/onProductCreated' };

function delivery(operation: Record<string, unknown>, channel = topic) {
  const ctx = new BuildContext();
  return {
    policy: buildDelivery(ctx, { id: 'onSearch', operation, channel, service: 'search', source }),
    diagnostics: ctx.diagnostics(undefined),
  };
}

describe('delivery policy', () => {
  it('fills in every default when nothing is declared, and says so', () => {
    expect(delivery({}).policy).toEqual<DeliveryPolicy>({
      subscription: 'catalog-product-created',
      route: '/events/catalog-product-created',
      retry: {
        maxRetries: 3,
        backoff: 'exponential',
        initialInterval: 1000,
        maxInterval: 30_000,
        multiplier: 2,
        delays: [1000, 2000, 4000],
      },
      deadLetter: { address: 'dlq.catalog-product-created' },
      idempotency: { key: '$message.header#/event_id', ttl: 86_400_000, store: 'redis' },
      handlerTimeout: 30_000,
      concurrency: 1,
      declared: { retry: false, deadLetter: false },
    });
  });

  it.each<[string, Record<string, unknown>, Partial<DeliveryPolicy>]>([
    [
      'a named subscription',
      { 'x-eventwire-subscription': { name: 'index-products', concurrency: 8, handlerTimeout: '10s' } },
      {
        subscription: 'index-products',
        route: '/events/index-products',
        concurrency: 8,
        handlerTimeout: 10_000,
      },
    ],
    [
      'an explicit route',
      { 'x-eventwire-subscription': { name: 'a', route: '/hooks/a' } },
      { route: '/hooks/a' },
    ],
    [
      'bulk subscribe',
      { 'x-eventwire-subscription': { name: 'a', bulk: { maxMessagesCount: 50 } } },
      { bulk: { maxMessagesCount: 50, maxAwaitDuration: 1000 } },
    ],
    [
      'a declared dead letter',
      { 'x-eventwire-dead-letter': { address: 'search.errors' } },
      { deadLetter: { address: 'search.errors' }, declared: { retry: false, deadLetter: true } },
    ],
    [
      'idempotency on the payload, in postgres',
      { 'x-eventwire-idempotency': { key: '$message.payload#/order_id', ttl: '1h', store: 'postgres' } },
      { idempotency: { key: '$message.payload#/order_id', ttl: 3_600_000, store: 'postgres' } },
    ],
    [
      'an invalid retry, read as absent',
      { 'x-eventwire-retry': { maxRetries: 'three' } },
      { declared: { retry: false, deadLetter: false } },
    ],
  ])('reads %s', (_, operation, expected) => {
    expect(delivery(operation).policy).toMatchObject(expected);
  });

  it('takes the concurrency of the pub/sub component when the subscription sets none', () => {
    expect(delivery({}, { ...topic, component: { name: 'pubsub', concurrency: 5 } }).policy.concurrency).toBe(
      5,
    );
  });

  it('gives AMQP receivers a queue and a dead-letter exchange', () => {
    const { policy } = delivery({ 'x-eventwire-subscription': { name: 'email-sender' } }, amqp);
    expect(policy.queue).toEqual({
      name: 'search.email-sender',
      type: 'quorum',
      durable: true,
      prefetch: 50,
    });
    expect(policy.deadLetter).toEqual({ address: 'dlq.email-sender', exchange: 'search.email-sender.dlx' });
  });

  it.each([
    [
      { 'x-eventwire-retry': { maxRetries: 2, backoff: 'fixed-delays' } },
      'error lint/invalid-extension x-eventwire-retry: backoff "fixed-delays" needs "delays"',
    ],
    [
      { 'x-eventwire-retry': { maxRetries: 3, backoff: 'fixed-delays', delays: ['1s'] } },
      'warning retry-delays-mismatch x-eventwire-retry: 1 delays for 3 retries',
    ],
  ])('reports an inconsistent retry policy %j', (operation, expected) => {
    expect(delivery(operation).diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual([
      expected,
    ]);
  });
});
