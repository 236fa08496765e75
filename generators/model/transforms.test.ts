import { describe, expect, it } from 'vitest';
import { channelKey } from './build-channels.ts';
import { pubSubComponent, serverKind } from './build-servers.ts';
import type { ChannelBinding } from './types.ts';

describe('server kinds', () => {
  it.each([
    ['redis', true, 'dapr-redis'],
    ['redis', false, 'redis-streams'],
    ['rediss', false, 'redis-streams'],
    ['amqp', true, 'dapr-rabbitmq'],
    ['amqps', false, 'amqp'],
    ['kafka', false, 'other'],
    ['kafka', true, 'other'],
    ['mqtt', false, 'other'],
  ] as const)('%s with Dapr pub/sub %s is %s', (protocol, dapr, kind) => {
    expect(serverKind(protocol, dapr)).toBe(kind);
  });

  it('reads the Dapr pub/sub component with durations in milliseconds', () => {
    expect(
      pubSubComponent({
        name: 'pubsub',
        redeliverInterval: '30s',
        processingTimeout: '1m',
        maxLenApprox: 1000,
        concurrency: 4,
      }),
    ).toEqual({
      name: 'pubsub',
      redeliverInterval: 30_000,
      processingTimeout: 60_000,
      maxLenApprox: 1000,
      concurrency: 4,
    });
    expect(pubSubComponent({ name: 'pubsub' })).toEqual({ name: 'pubsub' });
  });
});

describe('channel keys', () => {
  const exchange = {
    name: 'notifications',
    type: 'topic',
    durable: true,
    autoDelete: false,
    vhost: 'shop',
  } as const;
  it.each<[ChannelBinding, string, string]>([
    [{ kind: 'topic', pubsub: 'pubsub' }, 'catalog.product.created', 'topic:pubsub:catalog.product.created'],
    [{ kind: 'topic', pubsub: 'default' }, 'lights/{id}', 'topic:default:lights/{id}'],
    [{ kind: 'amqp', exchange, routingKey: 'email.#' }, 'email.#', 'amqp:shop:notifications:email.#'],
    [
      { kind: 'amqp', exchange: { ...exchange, name: '', vhost: '/' }, routingKey: 'rpc' },
      'rpc',
      'amqp:/::rpc',
    ],
  ])('%j at %s is %s', (binding, address, key) => {
    expect(channelKey(binding, address)).toBe(key);
  });
});
