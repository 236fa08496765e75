/**
 * A hand-built ContractModel for the identity service's move to a RabbitMQ topic exchange: identity publishes
 * account, e-mail and subscription events to the `smap.events` topic exchange (e-mail verification also to the
 * legacy `smtp_send_email_exc` fanout exchange while ENABLE_DUAL_PUBLISH is on); its SMTP worker consumes
 * `email.#` from the quorum queue `smtp_send_email_v2`, retrying after 1 s, 2 s and 4 s before the dead-letter
 * queue `email.errors`. A downstream analytics consumer reads `subscription.*`, so routing has two queues to
 * tell apart. `vhost` is a parameter so broker tests can import the file as it is into a fresh vhost.
 */
import type {
  AmqpExchange,
  Channel,
  ContractModel,
  DeliveryPolicy,
  Message,
  Operation,
  Service,
} from '../../../model/types.ts';
import { testChannel, testDelivery, testMessage } from '../../../model/test-builders.ts';

const FILE = 'asyncapi/identity.yaml';
const ANALYTICS_FILE = 'asyncapi/analytics.yaml';

export const IDENTITY_ROUTING_KEYS = [
  'email.verification.requested',
  'subscription.created',
  'subscription.cancelled',
  'subscription.status_changed',
  'project.created',
] as const;

function message(name: string, file: string): Message {
  return testMessage(name, { type: 'object' }, file, {
    schemaFormat: 'application/schema+json;version=draft-07',
    source: { file, pointer: `/components/messages/${name}` },
  });
}

function channel(
  id: string,
  exchange: AmqpExchange,
  routingKey: string,
  messages: Message[],
  file: string,
): Channel {
  return testChannel({
    id,
    address: routingKey,
    binding: { kind: 'amqp', exchange, routingKey },
    messages,
    file,
  });
}

/** The seeds' ladder: 1 s, 2 s, 4 s, then the dead-letter queue; four handlers at a time. */
function delivery(subscription: string, overrides: Partial<DeliveryPolicy>): DeliveryPolicy {
  const retry = {
    ...testDelivery(subscription).retry,
    maxInterval: 4000,
    delays: [1000, 2000, 4000],
  };
  return testDelivery(subscription, { retry, concurrency: 4, ...overrides });
}

function service(name: string, file: string, operations: Operation[]): Service {
  return {
    name,
    title: name,
    version: '1.0.0',
    appId: `${name}-worker`,
    appPort: 8080,
    appProtocol: 'http',
    operations,
    servers: [
      {
        id: 'rabbit',
        kind: 'amqp',
        protocol: 'amqp',
        host: 'localhost:5672',
        source: { file, pointer: '/servers/rabbit' },
      },
    ],
    source: { file, pointer: '/info' },
  };
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
    const id = `publish_${key.replace(/[.]/g, '_')}`;
    const op: Operation = {
      id,
      action: 'send',
      service: 'identity',
      channel: channel(key, events, key, [msg], FILE),
      messages: [msg],
      source: { file: FILE, pointer: `/operations/${id}` },
      ...(key === 'email.verification.requested'
        ? {
            dualPublish: {
              exchange: 'smtp_send_email_exc',
              type: 'fanout',
              envSwitch: 'ENABLE_DUAL_PUBLISH',
              defaultOn: true,
            } as const,
          }
        : {}),
    };
    return op;
  });
  const emailMessage = message('email.verification.requested', FILE);
  const sendEmail: Operation = {
    id: 'onEmailRequested',
    action: 'receive',
    service: 'identity',
    channel: channel('emailRequests', events, 'email.#', [emailMessage], FILE),
    messages: [emailMessage],
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
    source: { file: FILE, pointer: '/operations/onEmailRequested' },
  };
  const subscriptionMessage = message('subscription.created', ANALYTICS_FILE);
  const analytics: Operation = {
    id: 'onSubscriptionEvent',
    action: 'receive',
    service: 'analytics',
    channel: channel('subscriptionEvents', events, 'subscription.*', [subscriptionMessage], ANALYTICS_FILE),
    messages: [subscriptionMessage],
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
    source: { file: ANALYTICS_FILE, pointer: '/operations/onSubscriptionEvent' },
  };
  const services = [
    service('analytics', ANALYTICS_FILE, [analytics]),
    service('identity', FILE, [...publishes, sendEmail]),
  ];
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
