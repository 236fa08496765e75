/**
 * Focused contract models shared by the golden, compile and run tests of the code emitters. Each one exercises
 * a group of features; together they cover both transports, every delivery option, awkward schemas and names
 * that are not valid identifiers as written.
 */
import type { ContractModel, JsonSchema } from '../../model/types.ts';
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

const money = {
  title: 'Money',
  type: 'object',
  properties: {
    amount: { type: 'number', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
  },
  required: ['amount', 'currency'],
  additionalProperties: false,
};

const productCreated = message(
  'catalog.product.created',
  {
    type: 'object',
    description: 'A product as it was created in the catalog.',
    properties: {
      product_id: { type: 'string', format: 'uuid' },
      name: { type: 'string', minLength: 1, maxLength: 200 },
      price: money,
      tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      created_at: { type: 'string', format: 'date-time' },
    },
    required: ['product_id', 'name', 'price', 'created_at'],
  },
  { summary: 'A product was added to the catalog.' },
);

const productDeleted = message('catalog.product.deleted', {
  type: 'object',
  properties: { product_id: { type: 'string', format: 'uuid' }, reason: { type: 'string' } },
  required: ['product_id'],
});

/** Dapr topics: a plain publication, a parameterised one with two messages, and a consumer of both. */
export function topicModel(): ContractModel {
  const created = topicChannel('catalog.product.created', {
    id: 'productCreated',
    messages: [productCreated],
  });
  const regional = topicChannel('catalog.{region}.product.deleted', {
    id: 'regionalProductDeleted',
    parameters: [{ name: 'region', enum: ['eu', 'us'], description: 'Sales region of the catalog.' }],
  });
  return model(
    service('catalog', [
      send('publishProductCreated', created, [productCreated], { summary: 'Announce a new product.' }),
      send('publishRegionalProductEvents', regional, [productCreated, productDeleted]),
    ]),
    service('search', [
      receive('indexProduct', created, [productCreated], {
        summary: 'Index the product for search.',
        delivery: delivery('search-index-product', { concurrency: 4 }),
      }),
      receive('dropProduct', regional, [productDeleted, productCreated]),
    ]),
  );
}

/** A tree whose nodes hold nodes: a cycle through object identity, as the model builder keeps `$ref` cycles. */
function categoryTree(): JsonSchema {
  const category: Record<string, unknown> = {
    title: 'Category',
    type: 'object',
    properties: { name: { type: 'string' } },
    required: ['name'],
  };
  category.properties = { ...(category.properties as object), children: { type: 'array', items: category } };
  return category;
}

/** AMQP with queues, bulk, dead-letter exchange, dual publish, ordering and schemas that stress the converters. */
export function amqpModel(): ContractModel {
  const exchange = { name: 'notifications', type: 'topic' as const, vhost: 'shop' };
  const emailRequested = message(
    'notification.email.requested',
    {
      type: 'object',
      properties: {
        to: { type: 'string', format: 'email', 'x-eventwire-pii': 'email' },
        template: { type: 'string', enum: ['welcome', 'order-confirmed'] },
        channel: { oneOf: [{ const: 'email' }, { const: 'sms' }] },
        priority: { anyOf: [{ type: 'integer', minimum: 1, maximum: 5 }, { type: 'null' }] },
        body: {
          allOf: [{ type: 'object', properties: { subject: { type: 'string' } }, required: ['subject'] }],
        },
        attachments: {
          type: 'array',
          items: { type: 'object', properties: { 'file-name': { type: 'string' } } },
        },
        metadata: { type: 'object', additionalProperties: { type: 'string' } },
        free: {},
        never: false,
        anything: true,
        notString: { not: { type: 'string' } },
        category: categoryTree(),
        sequence: { type: 'integer' },
      },
      required: ['to', 'template', 'sequence'],
    },
    // Personal data used as the idempotency and ordering key: the specs carry it, the runtime hashes it.
    { summary: 'An email should be sent.', piiFields: ['/to'] },
  );
  const emailSent = message(
    'notification.email.sent',
    {
      type: 'object',
      properties: {
        to: { type: 'string', 'x-eventwire-pii': 'email' },
        sent_at: { type: 'string', format: 'date-time' },
      },
      required: ['to', 'sent_at'],
    },
    { piiFields: ['/to'] },
  );
  const ordering = { key: '/to', sequence: '/sequence', bufferTimeout: 2000 };
  const requests = amqpChannel('email.#', exchange, { id: 'emailRequests', ordering });
  const sent = amqpChannel('email.sent', exchange, { id: 'emailSent' });
  return model(
    service('notification', [
      receive('sendEmail', requests, [emailRequested], {
        summary: 'Send the requested email.',
        delivery: delivery('notification-send-email', {
          retry: {
            maxRetries: 3,
            backoff: 'fixed-delays',
            initialInterval: 1000,
            maxInterval: 60_000,
            multiplier: 1,
            delays: [1000, 10_000, 60_000],
          },
          deadLetter: { address: 'email.errors', exchange: 'notifications.dlx' },
          idempotency: { key: '$message.payload#/to', ttl: 3_600_000, store: 'postgres' },
          queue: { name: 'email.requests', type: 'quorum', durable: true, deliveryLimit: 5, prefetch: 20 },
          bulk: { maxMessagesCount: 50, maxAwaitDuration: 500 },
        }),
      }),
      send('emailSent', sent, [emailSent], {
        dualPublish: {
          exchange: 'legacy.notifications',
          type: 'fanout',
          envSwitch: 'ENABLE_DUAL_PUBLISH',
          defaultOn: false,
        },
      }),
    ]),
  );
}

/** Names that are not identifiers as written: reserved words, dashes, leading digits, dotted parameters. */
export function awkwardNamesModel(): ContractModel {
  const twoFactor = message('2fa.code-issued', {
    type: 'object',
    properties: { 'user-id': { type: 'string' }, class: { type: 'string' }, '2nd': { type: 'boolean' } },
    required: ['user-id'],
  });
  const deleteMessage = message('delete', { type: 'object', properties: { default: { type: 'string' } } });
  const channel = topicChannel('auth.{tenant-id}.{default}.codes', {
    id: '2fa-codes',
    parameters: [{ name: 'tenant-id' }, { name: 'default', enum: ['a-b', 'c'] }],
  });
  const plain = topicChannel('auth.deleted', { id: 'class' });
  return model(
    service('common-operations', [
      send('2fa-code-issued', channel, [twoFactor]),
      send('delete', plain, [deleteMessage]),
      receive('default', plain, [deleteMessage]),
      receive('on-2fa.code', channel, [twoFactor]),
    ]),
  );
}

export const TEST_MODELS: Readonly<Record<string, () => ContractModel>> = {
  topic: topicModel,
  amqp: amqpModel,
  'awkward-names': awkwardNamesModel,
};
