/**
 * A three-service shop for the golden files of the docs and k6 emitters: a Dapr publisher with an ordered
 * channel, every SLA field, personal data, a recursive schema and a shared Money type; a consumer with a dead-letter
 * monitor; a RabbitMQ service with a topic-pattern subscription, a queue and dual publishing; text with the
 * characters Markdown and tables trip over (`|`, backticks, `<tags>`).
 */
import type { AmqpExchange, ContractModel } from '../../../model/types.ts';
import {
  amqpChannel,
  model as contractModel,
  delivery,
  example,
  message,
  receive,
  send,
  service,
  topicChannel,
  TEST_DOCUMENT,
} from '../../test-support/model-builders.ts';

const money = {
  title: 'Money',
  type: 'object',
  description: 'An amount in minor units.',
  properties: { amount: { type: 'integer' }, currency: { type: 'string', enum: ['EUR', 'USD'] } },
  required: ['amount', 'currency'],
};

const product: Record<string, unknown> = {
  title: 'Product',
  type: 'object',
  required: ['product_id', 'sequence', 'name', 'price'],
  properties: {
    product_id: { type: 'string', description: 'Id `prod_<n>` | unique per shop.' },
    sequence: { type: 'integer', minimum: 1 },
    name: { type: 'string', description: 'Shown as <b>bold</b> nowhere.' },
    price: money,
    list_price: money,
    owner_email: { type: 'string', format: 'email', description: 'Who maintains the entry.' },
    tags: { type: 'array', items: { type: 'string' } },
    attributes: { type: 'object', additionalProperties: { type: 'string' } },
  },
};
(product.properties as Record<string, unknown>).variants = { type: 'array', items: product };

const productCreated = message('catalog.product.created', product, {
  file: TEST_DOCUMENT,
  title: 'Product created',
  summary: 'A product was added to the catalog (`draft` products are not announced).',
  version: '1.1',
  piiFields: ['/owner_email'],
  examples: [
    example(
      {
        product_id: 'prod_1',
        sequence: 1,
        name: 'Mug | large',
        price: { amount: 1200, currency: 'EUR' },
        owner_email: 'ann@example.com',
        variants: [
          { product_id: 'prod_2', sequence: 1, name: 'Mug small', price: { amount: 900, currency: 'EUR' } },
        ],
      },
      'mug',
    ),
  ],
});
const productArchived = message(
  'catalog.product.archived',
  { type: 'object', properties: { product_id: { type: 'string' } } },
  { file: TEST_DOCUMENT },
);

const created = topicChannel('catalog.product.created', {
  messages: [productCreated],
  file: TEST_DOCUMENT,
  ordering: { key: '/product_id', sequence: '/sequence', bufferTimeout: 300_000 },
});
const archived = topicChannel('catalog.product.archived', {
  messages: [productArchived],
  file: TEST_DOCUMENT,
});

const exchange: AmqpExchange = {
  name: 'notifications',
  type: 'topic',
  durable: true,
  autoDelete: false,
  vhost: 'shop',
};
const emailRequested = message(
  'notification.email.requested',
  {
    type: 'object',
    required: ['to', 'template'],
    properties: {
      to: { type: 'string', format: 'email' },
      template: { type: 'string', enum: ['welcome', 'receipt'] },
    },
  },
  {
    file: TEST_DOCUMENT,
    piiFields: ['/to'],
    examples: [example({ to: 'bob@example.com', template: 'welcome' })],
  },
);

export function shopModel(): ContractModel {
  const catalog = service(
    'catalog',
    [
      send('publishProductCreated', created, created.messages, {
        summary: 'Announce a new product.',
        sla: {
          publishP95: 10,
          publishP99: 25,
          eventsPerHour: 1200,
          peakPerSecond: 5,
          deliverySuccessRate: 0.999,
        },
      }),
      send('publishProductArchived', archived),
    ],
    {
      layout: 'asyncapi',
      description:
        'Owns products.\n\nEvery change is published | in order per product; see `x-eventwire-ordering`.',
      servers: [
        {
          id: 'pubsub',
          kind: 'dapr-redis',
          protocol: 'redis',
          host: 'redis:6379',
          pubsub: { name: 'pubsub' },
          source: { file: 'asyncapi/catalog.yaml', pointer: '/servers/pubsub' },
        },
      ],
    },
  );
  const search = service(
    'search',
    [
      receive('onProductCreated', created, created.messages, {
        delivery: delivery('product-created', {
          retry: {
            maxRetries: 5,
            backoff: 'constant',
            initialInterval: 2000,
            maxInterval: 2000,
            multiplier: 1,
            delays: [],
          },
          idempotency: { key: '$message.header#/event_id', ttl: 3_600_000, store: 'postgres' },
        }),
        sla: { processingP95: 100 },
      }),
      receive(
        'onProductCreatedDeadLetters',
        topicChannel('dlq.product-created', { messages: [productCreated], file: TEST_DOCUMENT }),
        [productCreated],
        { delivery: delivery('dlq-monitor-product-created') },
      ),
    ],
    { layout: 'asyncapi' },
  );
  const notification = service(
    'notification',
    [
      send(
        'publishEmailRequested',
        amqpChannel('email.requested', exchange, { messages: [emailRequested], file: TEST_DOCUMENT }),
        [emailRequested],
        {
          sla: { publishP99: 50 },
          dualPublish: {
            exchange: 'legacy.email',
            type: 'fanout',
            envSwitch: 'ENABLE_DUAL_PUBLISH',
            defaultOn: true,
          },
        },
      ),
      receive(
        'onEmail',
        amqpChannel('email.#', exchange, { messages: [emailRequested], file: TEST_DOCUMENT }),
        [emailRequested],
        {
          delivery: delivery('email-sender', {
            retry: {
              maxRetries: 3,
              backoff: 'fixed-delays',
              initialInterval: 1000,
              maxInterval: 60_000,
              multiplier: 1,
              delays: [1000, 10_000, 60_000],
            },
            deadLetter: { address: 'email.errors', exchange: 'notifications.dlx' },
            queue: { name: 'email.requests', type: 'quorum', durable: true, prefetch: 20 },
          }),
        },
      ),
    ],
    { layout: 'asyncapi', appProtocol: 'grpc', appPort: 5005 },
  );
  return contractModel(catalog, search, notification);
}
