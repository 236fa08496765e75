/**
 * Small builders for hand-made contract models, so tests state only what matters to them. Defaults follow the
 * contract conventions: route `/events/<name>`, dead letter `dlq.<name>`, 3 exponential retries.
 */
import type {
  Channel,
  ContractModel,
  DeliveryPolicy,
  Message,
  Operation,
  Server,
  Service,
  SourceRef,
} from '../../../model/types.ts';

const at = (file: string, pointer: string): SourceRef => ({ file, pointer });

export function message(name: string): Message {
  return {
    name,
    typeName: name.replace(/(^|[._])([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    contentType: 'application/json',
    version: '1.0',
    payload: { type: 'object' },
    schemaFormat: 'application/schema+json;version=draft-07',
    examples: [],
    piiFields: [],
    source: at('asyncapi/fixture.yaml', `/components/messages/${name}`),
  };
}

export function topicChannel(address: string, messages: readonly Message[], pubsub = 'pubsub'): Channel {
  return {
    key: `topic:${pubsub}:${address}`,
    id: address,
    address,
    parameters: [],
    binding: { kind: 'topic', pubsub },
    messages,
    source: at('asyncapi/fixture.yaml', `/channels/${address}`),
  };
}

export function delivery(subscription: string, overrides: Partial<DeliveryPolicy> = {}): DeliveryPolicy {
  return {
    subscription,
    route: `/events/${subscription}`,
    retry: {
      maxRetries: 3,
      backoff: 'exponential',
      initialInterval: 500,
      maxInterval: 60_000,
      multiplier: 1.5,
      delays: [],
    },
    deadLetter: { address: `dlq.${subscription}` },
    idempotency: { key: '$message.header#/event_id', ttl: 86_400_000, store: 'redis' },
    handlerTimeout: 30_000,
    concurrency: 10,
    declared: { retry: true, deadLetter: true },
    ...overrides,
  };
}

export function send(service: string, channel: Channel, id = `publish-${channel.address}`): Operation {
  return {
    id,
    action: 'send',
    service,
    channel,
    messages: channel.messages,
    source: at(`asyncapi/${service}.yaml`, `/operations/${id}`),
  };
}

export function receive(
  service: string,
  channel: Channel,
  policy: DeliveryPolicy,
  messages: readonly Message[] = channel.messages,
): Operation {
  const id = `on-${policy.subscription}`;
  return {
    id,
    action: 'receive',
    service,
    channel,
    messages,
    delivery: policy,
    source: at(`asyncapi/${service}.yaml`, `/operations/${id}`),
  };
}

export function server(kind: Server['kind'], pubsub: Server['pubsub'], host = 'redis:6379'): Server {
  return {
    id: kind,
    kind,
    protocol: kind === 'dapr-rabbitmq' ? 'amqp' : 'redis',
    host,
    pubsub,
    source: at('asyncapi/fixture.yaml', `/servers/${kind}`),
  };
}

export function service(
  name: string,
  operations: readonly Operation[],
  servers: readonly Server[],
  extra: Partial<Service> = {},
): Service {
  return {
    name,
    title: name,
    version: '1.0.0',
    appId: `${name}-worker`,
    appPort: 8080,
    appProtocol: 'http',
    operations,
    servers,
    source: at(`asyncapi/${name}.yaml`, ''),
    ...extra,
  };
}

export function contractModel(
  services: readonly Service[],
  extraChannels: readonly Channel[] = [],
): ContractModel {
  const channels = new Map<string, Channel>();
  for (const channel of [...services.flatMap((s) => s.operations.map((o) => o.channel)), ...extraChannels]) {
    channels.set(channel.key, channel);
  }
  return { services: [...services].sort((a, b) => (a.name < b.name ? -1 : 1)), channels, diagnostics: [] };
}
