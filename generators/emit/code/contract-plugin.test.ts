import { describe, expect, it } from 'vitest';
import type { PublicationSpec, SubscriptionSpec } from '../../../runtime/spec.ts';
import type { Channel, Operation } from '../../model/types.ts';
import { contractPlugin } from './contract-plugin.ts';
import { literal } from './literal.ts';
import { printNode } from './print.ts';
import { destinationOf, publicationSpec, subscriptionSpec } from './runtime-specs.ts';
import { serviceView } from './service-view.ts';
import {
  amqpChannel,
  delivery,
  message,
  model,
  receive,
  send,
  service,
  topicChannel,
} from '../test-support/model-builders.ts';

const m = message('shop.order.placed', { type: 'object' });

function publication(op: ReturnType<typeof send>): PublicationSpec {
  const svc = service('shop', [op]);
  return publicationSpec(svc, serviceView(svc).publications[0]!);
}

function subscription(op: ReturnType<typeof receive>): SubscriptionSpec {
  const svc = service('shop', [op]);
  return subscriptionSpec(svc, serviceView(svc).subscriptions[0]!);
}

describe('destinationOf', () => {
  it.each<[string, Channel, unknown]>([
    [
      'a Dapr topic',
      topicChannel('orders.placed', {}, 'pubsub-rmq'),
      { kind: 'topic', pubsub: 'pubsub-rmq', topic: 'orders.placed' },
    ],
    [
      'an AMQP routing key with its exchange and vhost',
      amqpChannel('order.placed', { name: 'orders', type: 'direct', vhost: 'shop' }),
      { kind: 'amqp', exchange: 'orders', exchangeType: 'direct', routingKey: 'order.placed', vhost: 'shop' },
    ],
    [
      'a transient, auto-deleted exchange as the contract declares it',
      amqpChannel('order.placed', { name: 'scratch', durable: false, autoDelete: true }),
      {
        kind: 'amqp',
        exchange: 'scratch',
        exchangeType: 'topic',
        routingKey: 'order.placed',
        vhost: '/',
        durable: false,
        autoDelete: true,
      },
    ],
  ])('%s', (_title, channel, expected) => {
    expect(destinationOf(channel)).toEqual(expected);
  });
});

describe('publicationSpec', () => {
  it.each<[string, ReturnType<typeof send>, Partial<PublicationSpec>]>([
    [
      'event type, version and destination from the message and channel',
      send('place', topicChannel('orders'), [message('shop.order.placed', {}, { version: '2.1' })]),
      { operation: 'place', service: 'shop', eventType: 'shop.order.placed', version: '2.1', parameters: [] },
    ],
    [
      'channel parameters in declaration order',
      send('place', topicChannel('o.{b}.{a}', { parameters: [{ name: 'b' }, { name: 'a' }] }), [m]),
      { parameters: ['b', 'a'] },
    ],
    [
      'dual publishing',
      send('place', topicChannel('o'), [m], {
        dualPublish: { exchange: 'legacy', type: 'fanout', envSwitch: 'DUAL', defaultOn: true },
      }),
      { dualPublish: { exchange: 'legacy', exchangeType: 'fanout', envSwitch: 'DUAL', defaultOn: true } },
    ],
    [
      'the ordering key pointer',
      send(
        'place',
        topicChannel('o', { ordering: { key: '/order_id', sequence: '/seq', bufferTimeout: 1 } }),
        [m],
      ),
      { orderingKeyPointer: '/order_id' },
    ],
    [
      'the payload’s personal-data pointers',
      send('place', topicChannel('o'), [
        message('shop.order.placed', {}, { piiFields: ['/email', '/card/number'] }),
      ]),
      { pii: ['/email', '/card/number'] },
    ],
  ])('%s', (_title, op, expected) => {
    expect(publication(op)).toMatchObject(expected);
  });

  it('leaves optional fields out when the contract does not set them', () => {
    const spec = publication(send('place', topicChannel('o'), [m]));
    expect(Object.keys(spec)).toEqual([
      'operation',
      'service',
      'eventType',
      'version',
      'destination',
      'parameters',
    ]);
  });
});

describe('subscriptionSpec', () => {
  const retry = {
    maxRetries: 5,
    backoff: 'constant' as const,
    initialInterval: 500,
    maxInterval: 500,
    multiplier: 1,
    delays: [],
  };
  it.each<[string, ReturnType<typeof receive>, Partial<SubscriptionSpec>]>([
    [
      'name, route and accepted event types',
      receive('onPlaced', topicChannel('o'), [m, message('shop.order.cancelled', {})]),
      {
        name: 'on-placed',
        route: '/events/on-placed',
        eventTypes: ['shop.order.placed', 'shop.order.cancelled'],
      },
    ],
    [
      'retry in milliseconds',
      receive('r', topicChannel('o'), [m], { delivery: delivery('r', { retry }) }),
      {
        retry: {
          maxRetries: 5,
          backoff: 'constant',
          initialIntervalMs: 500,
          maxIntervalMs: 500,
          multiplier: 1,
          delaysMs: [],
        },
      },
    ],
    [
      'dead letter with exchange, idempotency, timeout and concurrency',
      receive('r', topicChannel('o'), [m], {
        delivery: delivery('r', {
          deadLetter: { address: 'errors', exchange: 'dlx' },
          idempotency: { key: '$message.payload#/id', ttl: 60_000, store: 'memory' },
          handlerTimeout: 1500,
          concurrency: 3,
        }),
      }),
      {
        deadLetter: { address: 'errors', exchange: 'dlx' },
        idempotency: { key: '$message.payload#/id', ttlMs: 60_000, store: 'memory' },
        handlerTimeoutMs: 1500,
        concurrency: 3,
      },
    ],
    [
      'ordering from the channel',
      receive('r', topicChannel('o', { ordering: { key: '/k', sequence: '/s', bufferTimeout: 900 } }), [m]),
      { ordering: { keyPointer: '/k', sequencePointer: '/s', bufferTimeoutMs: 900 } },
    ],
    [
      'personal-data pointers per accepted event type that has any',
      receive('r', topicChannel('o'), [
        message('shop.order.placed', {}, { piiFields: ['/email'] }),
        message('shop.order.cancelled', {}),
      ]),
      { pii: { 'shop.order.placed': ['/email'] } },
    ],
    [
      'AMQP queue and bulk',
      receive('r', amqpChannel('order.#'), [m], {
        delivery: delivery('r', {
          queue: { name: 'q', type: 'classic', durable: false, prefetch: 1 },
          bulk: { maxMessagesCount: 10, maxAwaitDuration: 250 },
        }),
      }),
      {
        queue: { name: 'q', type: 'classic', durable: false, prefetch: 1 },
        bulk: { maxMessagesCount: 10, maxAwaitDurationMs: 250 },
      },
    ],
  ])('%s', (_title, op, expected) => {
    expect(subscription(op)).toEqual(expect.objectContaining(expected));
  });

  it('reports a receive operation without a delivery policy', () => {
    const op: Omit<Operation, 'service'> = { ...receive('r', topicChannel('o'), [m]), delivery: undefined };
    expect(() => subscription(op)).toThrow(
      /test\.yaml#\/operations\/r: receive operation "r" has no delivery policy/,
    );
  });
});

describe('literal', () => {
  it.each<[string, unknown, string]>([
    ['strings in single quotes', "it's", "'it\\'s'"],
    ['negative numbers', -5, '-5'],
    ['inline arrays of scalars', [1, 'a', true, null], "[1, 'a', true, null]"],
    [
      'one item a line when a line would be long',
      ['/shipping_address/line1', '/shipping_address/line2', '/shipping_address/postal_code'],
      "[\n  '/shipping_address/line1',\n  '/shipping_address/line2',\n  '/shipping_address/postal_code'\n]",
    ],
    ['quoted keys only when needed', { a: 1, 'b-c': 2, $d: 3 }, "{\n  a: 1,\n  'b-c': 2,\n  $d: 3\n}"],
    ['undefined properties left out', { a: undefined, b: 1 }, '{\n  b: 1\n}'],
    ['empty object', {}, '{}'],
  ])('%s', (_title, value, expected) => {
    expect(printNode(literal(value))).toBe(expected);
  });

  it('refuses values that have no literal', () => {
    expect(() => literal(Number.NaN)).toThrow(/NaN/);
    expect(() => literal(() => 1)).toThrow(/function/);
  });
});

describe('contractPlugin', () => {
  it('writes both tables, typed with satisfies, documented from the contract', async () => {
    const svc = service('shop', [
      send('place', topicChannel('o'), [m], { summary: 'Place an order.' }),
      receive('onPlaced', topicChannel('o'), [m]),
    ]);
    const [file] = await contractPlugin.emit(model(svc), { outDir: 'g' });
    expect(file?.path).toBe('shop/contract.ts');
    const text = file!.contents;
    expect(text).toMatch(/^import type \{ PublicationSpec, SubscriptionSpec \} from 'eventwire\/runtime';\n/);
    expect(text).toContain('} as const satisfies Record<string, PublicationSpec>;');
    expect(text).toContain('} as const satisfies Record<string, SubscriptionSpec>;');
    expect(text).toContain('   * Place an order.\n   *\n   * Operation `place`: sends `shop.order.placed`.');
    expect(text).toContain("  onPlaced: {\n    operation: 'onPlaced',");
  });

  it('writes empty tables for a service without operations', async () => {
    const [file] = await contractPlugin.emit(model(service('idle', [])), { outDir: 'g' });
    expect(file!.contents).toContain(
      'export const publications = {} as const satisfies Record<string, PublicationSpec>;',
    );
    expect(file!.contents).toContain(
      'export const subscriptions = {} as const satisfies Record<string, SubscriptionSpec>;',
    );
  });
});
