/**
 * A hand-built ContractModel for the identity service's move to a RabbitMQ topic exchange: identity publishes
 * account, e-mail and subscription events to the `smap.events` topic exchange (e-mail verification also to the
 * legacy `smtp_send_email_exc` fanout exchange while ENABLE_DUAL_PUBLISH is on); its SMTP worker consumes
 * `email.#` from the quorum queue `smtp_send_email_v2`, retrying after 1 s, 2 s and 4 s before the dead-letter
 * queue `email.errors`. A downstream analytics consumer reads `subscription.*`, so routing has two queues to
 * tell apart. `vhost` is a parameter so broker tests can import the file as it is into a fresh vhost.
 */
import type { AmqpExchange, Channel, ContractModel, DeliveryPolicy, Server } from '../../../model/types.ts';
import {
  amqpChannel,
  delivery as contractDelivery,
  jsonSchemaMessage as message,
  receive,
  send,
  service,
  sourceAt,
} from '../../test-support/model-builders.ts';

const FILE = 'asyncapi/identity.yaml';
const ANALYTICS_FILE = 'asyncapi/analytics.yaml';

export const IDENTITY_ROUTING_KEYS = [
  'email.verification.requested',
  'subscription.created',
  'subscription.cancelled',
  'subscription.status_changed',
  'project.created',
] as const;

/** The seeds' ladder: 1 s, 2 s, 4 s, then the dead-letter queue; four handlers at a time. */
function delivery(subscription: string, overrides: Partial<DeliveryPolicy>): DeliveryPolicy {
  const retry = {
    ...contractDelivery(subscription).retry,
    maxInterval: 4000,
    delays: [1000, 2000, 4000],
  };
  return contractDelivery(subscription, { retry, concurrency: 4, ...overrides });
}

/** Each service's document declares the broker it runs on, and its `info` stands for the service. */
function inDocument(name: string, file: string) {
  const rabbit: Server = {
    id: 'rabbit',
    kind: 'amqp',
    protocol: 'amqp',
    host: 'localhost:5672',
    source: sourceAt(file, '/servers/rabbit'),
  };
  return { layout: 'asyncapi', title: name, servers: [rabbit], source: sourceAt(file, '/info') } as const;
}

export function identityModel(vhost: string): ContractModel {
  const events: AmqpExchange = {
    name: 'smap.events',
    type: 'topic',
    durable: true,
    autoDelete: false,
    vhost,
  };
  const publishes = IDENTITY_ROUTING_KEYS.map((key) => {
    const msg = message(key, FILE);
    const dualPublish = {
      exchange: 'smtp_send_email_exc',
      type: 'fanout',
      envSwitch: 'ENABLE_DUAL_PUBLISH',
      defaultOn: true,
    } as const;
    return send(
      `publish_${key.replace(/[.]/g, '_')}`,
      amqpChannel(key, events, { messages: [msg], file: FILE }),
      [msg],
      key === 'email.verification.requested' ? { dualPublish } : {},
    );
  });
  const emailMessage = message('email.verification.requested', FILE);
  const sendEmail = receive(
    'onEmailRequested',
    amqpChannel('email.#', events, { id: 'emailRequests', messages: [emailMessage], file: FILE }),
    [emailMessage],
    {
      delivery: delivery('smtp-send-email', {
        // As asyncapi/identity.yaml declares it (real-contract.test.ts keeps the two equal).
        retry: {
          maxRetries: 3,
          backoff: 'fixed-delays',
          initialInterval: 1000,
          maxInterval: 30_000,
          multiplier: 2,
          delays: [1000, 2000, 4000],
        },
        deadLetter: { address: 'email.errors', exchange: 'smtp_send_email_v2.dlx' },
        queue: { name: 'smtp_send_email_v2', type: 'quorum', durable: true, prefetch: 20, deliveryLimit: 10 },
        concurrency: 8,
      }),
    },
  );
  const subscriptionMessage = message('subscription.created', ANALYTICS_FILE);
  const analytics = receive(
    'onSubscriptionEvent',
    amqpChannel('subscription.*', events, {
      id: 'subscriptionEvents',
      messages: [subscriptionMessage],
      file: ANALYTICS_FILE,
    }),
    [subscriptionMessage],
    {
      delivery: delivery('subscription-analytics', {
        queue: { name: 'analytics.subscriptions', type: 'quorum', durable: true, prefetch: 50 },
        retry: {
          maxRetries: 5,
          backoff: 'exponential',
          initialInterval: 500,
          maxInterval: 2000,
          multiplier: 2,
          delays: [],
        },
      }),
    },
  );
  const services = [
    service('analytics', [analytics], inDocument('analytics', ANALYTICS_FILE)),
    service('identity', [...publishes, sendEmail], inDocument('identity', FILE)),
  ];
  // The channels in the order the identity document lists them, then the analytics one.
  const channels = new Map<string, Channel>();
  for (const op of [...publishes, sendEmail, analytics]) channels.set(op.channel.key, op.channel);
  return { services, channels, diagnostics: [] };
}

/** Where each identity routing key must land, as the contracts intend (the SMTP worker takes `email.#`). */
export const EXPECTED_ROUTES: Readonly<Record<(typeof IDENTITY_ROUTING_KEYS)[number], readonly string[]>> = {
  'email.verification.requested': ['smtp_send_email_v2'],
  'subscription.created': ['analytics.subscriptions'],
  'subscription.cancelled': ['analytics.subscriptions'],
  'subscription.status_changed': ['analytics.subscriptions'],
  'project.created': [],
};
