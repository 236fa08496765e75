/**
 * Builders for small hand-made contract models in the docs and k6 emitter tests. Defaults follow the contract
 * conventions (Dapr pub/sub `pubsub`, 3 exponential retries, dead letter `dlq.<subscription>`), so a fixture
 * spells out only what it is about.
 */
import { pascalCase } from '../../../model/names.ts';
import type {
  AmqpExchange,
  Channel,
  ContractModel,
  DeliveryPolicy,
  JsonSchema,
  Message,
  Operation,
  Service,
} from '../../../model/types.ts';

const at = (file: string, pointer: string) => ({ file, pointer });

export function message(name: string, payload: JsonSchema, extra: Partial<Message> = {}): Message {
  return {
    name,
    typeName: pascalCase(name),
    contentType: 'application/json',
    version: '1.0',
    payload,
    schemaFormat: 'application/vnd.aai.asyncapi+json;version=3.0.0',
    examples: [],
    piiFields: [],
    source: at('asyncapi/test.yaml', `/components/messages/${pascalCase(name)}`),
    ...extra,
  };
}

export function example(payload: unknown, name?: string): Message['examples'][number] {
  return { ...(name ? { name } : {}), payload, source: at('asyncapi/test.yaml', '/examples/0') };
}

export function topic(address: string, messages: readonly Message[], extra: Partial<Channel> = {}): Channel {
  return {
    key: `topic:pubsub:${address}`,
    id: address,
    address,
    parameters: [],
    binding: { kind: 'topic', pubsub: 'pubsub' },
    messages,
    source: at('asyncapi/test.yaml', `/channels/${address}`),
    ...extra,
  };
}

export function amqp(routingKey: string, exchange: AmqpExchange, messages: readonly Message[]): Channel {
  return {
    key: `amqp:${exchange.vhost}:${exchange.name}:${routingKey}`,
    id: routingKey,
    address: routingKey,
    parameters: [],
    binding: { kind: 'amqp', exchange, routingKey },
    messages,
    source: at('asyncapi/test.yaml', `/channels/${routingKey}`),
  };
}

export function delivery(subscription: string, extra: Partial<DeliveryPolicy> = {}): DeliveryPolicy {
  return {
    subscription,
    route: `/events/${subscription}`,
    retry: {
      maxRetries: 3,
      backoff: 'exponential',
      initialInterval: 1000,
      maxInterval: 30_000,
      multiplier: 2,
      delays: [],
    },
    deadLetter: { address: `dlq.${subscription}` },
    idempotency: { key: '$message.header#/event_id', ttl: 86_400_000, store: 'redis' },
    handlerTimeout: 30_000,
    concurrency: 10,
    declared: { retry: true, deadLetter: true },
    ...extra,
  };
}

type Draft = Omit<Operation, 'service' | 'source' | 'messages'> & { readonly messages?: readonly Message[] };

export function send(id: string, channel: Channel, extra: Partial<Draft> = {}): Draft {
  return { id, action: 'send', channel, ...extra };
}

export function receive(
  id: string,
  channel: Channel,
  policy: DeliveryPolicy,
  extra: Partial<Draft> = {},
): Draft {
  return { id, action: 'receive', channel, delivery: policy, ...extra };
}

export function service(name: string, drafts: readonly Draft[], extra: Partial<Service> = {}): Service {
  const file = `asyncapi/${name}.yaml`;
  return {
    name,
    title: `${pascalCase(name)} service`,
    version: '1.0.0',
    appId: `${name}-worker`,
    appPort: 8080,
    appProtocol: 'http',
    servers: [],
    source: at(file, ''),
    ...extra,
    operations: drafts.map((d) => ({
      ...d,
      service: name,
      messages: d.messages ?? d.channel.messages,
      source: at(file, `/operations/${d.id}`),
    })),
  };
}

export function contractModel(...services: readonly Service[]): ContractModel {
  const channels = new Map(
    services.flatMap((s) => s.operations.map((op) => [op.channel.key, op.channel] as const)),
  );
  return { services: [...services].sort((a, b) => (a.name < b.name ? -1 : 1)), channels, diagnostics: [] };
}
