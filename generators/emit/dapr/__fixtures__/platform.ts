/**
 * A hand-built platform model exercising every Dapr feature the emitters support: Redis and RabbitMQ components,
 * one-route and multi-route topics, bulk subscriptions, explicit queues, a gRPC worker that monitors the dead-letter
 * topics, and an AMQP channel that is not Dapr's business.
 */
import type { Channel, ContractModel, Message } from '../../../model/types.ts';
import {
  DAPR_RETRY,
  delivery,
  jsonSchemaMessage,
  modelWithChannels,
  type OperationDraft,
  receive,
  send,
  server,
  service,
  topicChannel,
} from '../../test-support/model-builders.ts';

/** The one document the Dapr fixtures declare their messages, channels and servers in. */
export const FIXTURE_DOCUMENT = 'asyncapi/fixture.yaml';

/** A plain JSON Schema (draft-07) message, as the Dapr fixtures declare them. */
export function fixtureMessage(name: string): Message {
  return jsonSchemaMessage(name, FIXTURE_DOCUMENT);
}

const redis = server('dapr-redis', {
  name: 'pubsub',
  redeliverInterval: 60_000,
  processingTimeout: 600_000,
  maxLenApprox: 10_000,
  concurrency: 10,
});
const rabbit = server('dapr-rabbitmq', { name: 'notifications-bus' }, 'rabbitmq:5672');

const created = fixtureMessage('catalog.product.created');
const updated = fixtureMessage('catalog.product.updated');
const stock = fixtureMessage('warehouse.inventory.stock_changed');
const price = fixtureMessage('pricing.price.updated');
const orderCreated = fixtureMessage('orders.order.created');
const orderStatus = fixtureMessage('orders.order.status_changed');
const email = fixtureMessage('notification.email.requested');
const deadLetter = fixtureMessage('platform.dead_letter.received');

export const channels = {
  created: topicChannel('catalog.product.created', { messages: [created], file: FIXTURE_DOCUMENT }),
  updated: topicChannel('catalog.product.updated', { messages: [updated], file: FIXTURE_DOCUMENT }),
  stock: topicChannel('warehouse.inventory.stock_changed', { messages: [stock], file: FIXTURE_DOCUMENT }),
  price: topicChannel('pricing.price.updated', { messages: [price], file: FIXTURE_DOCUMENT }),
  orders: topicChannel('orders.order.events', {
    messages: [orderCreated, orderStatus],
    file: FIXTURE_DOCUMENT,
  }),
  email: topicChannel(
    'notification.email.requested',
    { messages: [email], file: FIXTURE_DOCUMENT },
    'notifications-bus',
  ),
} satisfies Record<string, Channel>;

/** The dead letters of the fixture's subscriptions, each read by the monitoring worker. */
export const DEAD_LETTERS = [
  ['warehouse-stock-changed', 'pubsub'],
  ['price-updated', 'pubsub'],
  ['product-created', 'pubsub'],
  ['product-updated', 'pubsub'],
  ['notification-order-events', 'pubsub'],
  ['email-requested', 'notifications-bus'],
] as const;

/** The monitor's own failures go to a parking topic (one per pub/sub) that is declared but not consumed. */
export const PARKING = [
  topicChannel('dlq.parking', { messages: [deadLetter], file: FIXTURE_DOCUMENT }),
  topicChannel('dlq.parking', { messages: [deadLetter], file: FIXTURE_DOCUMENT }, 'notifications-bus'),
];

function monitors(): OperationDraft[] {
  return DEAD_LETTERS.map(([name, pubsub]) =>
    receive(
      `on-dlq-monitor-${name}`,
      topicChannel(`dlq.${name}`, { messages: [deadLetter], file: FIXTURE_DOCUMENT }, pubsub),
      [deadLetter],
      {
        delivery: delivery(`dlq-monitor-${name}`, {
          retry: DAPR_RETRY,
          deadLetter: { address: 'dlq.parking' },
        }),
      },
    ),
  );
}

const ordersDeadLetter = { deadLetter: { address: 'dlq.notification-order-events' } };

export function platformModel(): ContractModel {
  const legacyExchange = {
    name: 'legacy',
    type: 'fanout',
    durable: true,
    autoDelete: false,
    vhost: '/',
  } as const;
  const legacy: Channel = {
    ...topicChannel('legacy.events', { messages: [orderCreated], file: FIXTURE_DOCUMENT }),
    key: 'amqp:/:legacy:',
    binding: { kind: 'amqp', exchange: legacyExchange, routingKey: '' },
  };
  return modelWithChannels(
    [
      service(
        'catalog',
        [
          send(`publish-${channels.created.address}`, channels.created),
          send(`publish-${channels.updated.address}`, channels.updated),
          receive('on-warehouse-stock-changed', channels.stock, channels.stock.messages, {
            delivery: delivery('warehouse-stock-changed', { retry: DAPR_RETRY }),
          }),
          receive('on-price-updated', channels.price, channels.price.messages, {
            delivery: delivery('price-updated', { retry: DAPR_RETRY, handlerTimeout: 60_000 }),
          }),
        ],
        { layout: 'asyncapi', title: 'catalog', servers: [redis] },
      ),
      service(
        'search',
        [
          receive('on-product-created', channels.created, channels.created.messages, {
            delivery: delivery('product-created', { retry: DAPR_RETRY }),
          }),
          receive('on-product-updated', channels.updated, channels.updated.messages, {
            delivery: delivery('product-updated', {
              retry: DAPR_RETRY,
              bulk: { maxMessagesCount: 100, maxAwaitDuration: 1000 },
            }),
          }),
        ],
        { layout: 'asyncapi', title: 'search', servers: [redis] },
      ),
      service('warehouse', [send(`publish-${channels.stock.address}`, channels.stock)], {
        layout: 'asyncapi',
        title: 'warehouse',
        servers: [redis],
      }),
      service('pricing', [send(`publish-${channels.price.address}`, channels.price)], {
        layout: 'asyncapi',
        title: 'pricing',
        servers: [redis],
      }),
      service(
        'order',
        [
          send(`publish-${channels.orders.address}`, channels.orders),
          send(`publish-${channels.email.address}`, channels.email),
          send(`publish-${legacy.address}`, legacy),
        ],
        { layout: 'asyncapi', title: 'order', servers: [redis, rabbit] },
      ),
      service(
        'notification',
        [
          // Two handlers on one topic share the subscription's single dead-letter topic.
          receive('on-order-created', channels.orders, [orderCreated], {
            delivery: delivery('order-created', { retry: DAPR_RETRY, ...ordersDeadLetter }),
          }),
          receive('on-order-status-changed', channels.orders, [orderStatus], {
            delivery: delivery('order-status-changed', { retry: DAPR_RETRY, ...ordersDeadLetter }),
          }),
          receive('on-email-requested', channels.email, channels.email.messages, {
            delivery: delivery('email-requested', {
              retry: DAPR_RETRY,
              queue: { name: 'notification.email', type: 'quorum', durable: true, prefetch: 20 },
            }),
          }),
        ],
        { layout: 'asyncapi', title: 'notification', servers: [redis, rabbit] },
      ),
      service('common-operations', monitors(), {
        layout: 'asyncapi',
        title: 'common-operations',
        servers: [redis, rabbit],
        appProtocol: 'grpc',
        appPort: 5005,
      }),
    ],
    PARKING,
  );
}
