/**
 * A hand-built platform model exercising every Dapr feature the emitters support: Redis and RabbitMQ components,
 * one-route and multi-route topics, bulk subscriptions, explicit queues, a gRPC worker that monitors the dead-letter
 * topics, and an AMQP channel that is not Dapr's business.
 */
import type { Channel, ContractModel, Operation } from '../../../model/types.ts';
import {
  contractModel,
  delivery,
  message,
  receive,
  send,
  server,
  service,
  topicChannel,
} from './builders.ts';

const redis = server('dapr-redis', {
  name: 'pubsub',
  redeliverInterval: 60_000,
  processingTimeout: 600_000,
  maxLenApprox: 10_000,
  concurrency: 10,
});
const rabbit = server('dapr-rabbitmq', { name: 'notifications-bus' }, 'rabbitmq:5672');

const created = message('catalog.product.created');
const updated = message('catalog.product.updated');
const stock = message('warehouse.inventory.stock_changed');
const price = message('pricing.price.updated');
const orderCreated = message('orders.order.created');
const orderStatus = message('orders.order.status_changed');
const email = message('notification.email.requested');
const deadLetter = message('platform.dead_letter.received');

export const channels = {
  created: topicChannel('catalog.product.created', [created]),
  updated: topicChannel('catalog.product.updated', [updated]),
  stock: topicChannel('warehouse.inventory.stock_changed', [stock]),
  price: topicChannel('pricing.price.updated', [price]),
  orders: topicChannel('orders.order.events', [orderCreated, orderStatus]),
  email: topicChannel('notification.email.requested', [email], 'notifications-bus'),
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
  topicChannel('dlq.parking', [deadLetter]),
  topicChannel('dlq.parking', [deadLetter], 'notifications-bus'),
];

function monitors(): Operation[] {
  return DEAD_LETTERS.map(([name, pubsub]) =>
    receive(
      'common-operations',
      topicChannel(`dlq.${name}`, [deadLetter], pubsub),
      delivery(`dlq-monitor-${name}`, { deadLetter: { address: 'dlq.parking' } }),
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
    ...topicChannel('legacy.events', [orderCreated]),
    key: 'amqp:/:legacy:',
    binding: { kind: 'amqp', exchange: legacyExchange, routingKey: '' },
  };
  return contractModel(
    [
      service(
        'catalog',
        [
          send('catalog', channels.created),
          send('catalog', channels.updated),
          receive('catalog', channels.stock, delivery('warehouse-stock-changed')),
          receive('catalog', channels.price, delivery('price-updated', { handlerTimeout: 60_000 })),
        ],
        [redis],
      ),
      service(
        'search',
        [
          receive('search', channels.created, delivery('product-created')),
          receive(
            'search',
            channels.updated,
            delivery('product-updated', { bulk: { maxMessagesCount: 100, maxAwaitDuration: 1000 } }),
          ),
        ],
        [redis],
      ),
      service('warehouse', [send('warehouse', channels.stock)], [redis]),
      service('pricing', [send('pricing', channels.price)], [redis]),
      service(
        'order',
        [send('order', channels.orders), send('order', channels.email), send('order', legacy)],
        [redis, rabbit],
      ),
      service(
        'notification',
        [
          // Two handlers on one topic share the subscription's single dead-letter topic.
          receive('notification', channels.orders, delivery('order-created', ordersDeadLetter), [
            orderCreated,
          ]),
          receive('notification', channels.orders, delivery('order-status-changed', ordersDeadLetter), [
            orderStatus,
          ]),
          receive(
            'notification',
            channels.email,
            delivery('email-requested', {
              queue: { name: 'notification.email', type: 'quorum', durable: true, prefetch: 20 },
            }),
          ),
        ],
        [redis, rabbit],
      ),
      service('common-operations', monitors(), [redis, rabbit], { appProtocol: 'grpc', appPort: 5005 }),
    ],
    PARKING,
  );
}
