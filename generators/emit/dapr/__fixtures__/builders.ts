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
} from '../../../model/types.ts';
import { sourceAt, testChannel, testDelivery, testMessage, testModel } from '../../../model/test-builders.ts';

const at = sourceAt;
const FILE = 'asyncapi/fixture.yaml';

export function message(name: string): Message {
  return testMessage(name, { type: 'object' }, FILE, {
    schemaFormat: 'application/schema+json;version=draft-07',
    source: at(FILE, `/components/messages/${name}`),
  });
}

export function topicChannel(address: string, messages: readonly Message[], pubsub = 'pubsub'): Channel {
  return testChannel({ id: address, address, binding: { kind: 'topic', pubsub }, messages, file: FILE });
}

/** Dapr's own defaults where the contract is silent: 500 ms ×1.5 up to a minute. */
export function delivery(subscription: string, overrides: Partial<DeliveryPolicy> = {}): DeliveryPolicy {
  const retry = {
    ...testDelivery(subscription).retry,
    initialInterval: 500,
    maxInterval: 60_000,
    multiplier: 1.5,
  };
  return testDelivery(subscription, { retry, ...overrides });
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
    source: at(FILE, `/servers/${kind}`),
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
  return testModel(services, extraChannels);
}
