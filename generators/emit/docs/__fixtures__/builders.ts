/**
 * Builders for small hand-made contract models in the docs and k6 emitter tests. Defaults follow the contract
 * conventions (Dapr pub/sub `pubsub`, 3 exponential retries, dead letter `dlq.<subscription>`), so a fixture
 * spells out only what it is about.
 */
import { pascalCase } from '../../../model/names.ts';
import { sourceAt, testChannel, testDelivery, testMessage, testModel } from '../../../model/test-builders.ts';
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

const at = sourceAt;

export function message(name: string, payload: JsonSchema, extra: Partial<Message> = {}): Message {
  return testMessage(name, payload, 'asyncapi/test.yaml', extra);
}

export function example(payload: unknown, name?: string): Message['examples'][number] {
  return { ...(name ? { name } : {}), payload, source: at('asyncapi/test.yaml', '/examples/0') };
}

export function topic(address: string, messages: readonly Message[], extra: Partial<Channel> = {}): Channel {
  const binding = { kind: 'topic', pubsub: 'pubsub' } as const;
  return {
    ...testChannel({ id: address, address, binding, messages, file: 'asyncapi/test.yaml' }),
    ...extra,
  };
}

export function amqp(routingKey: string, exchange: AmqpExchange, messages: readonly Message[]): Channel {
  const binding = { kind: 'amqp', exchange, routingKey } as const;
  return testChannel({ id: routingKey, address: routingKey, binding, messages, file: 'asyncapi/test.yaml' });
}

export function delivery(subscription: string, extra: Partial<DeliveryPolicy> = {}): DeliveryPolicy {
  return testDelivery(subscription, extra);
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
  return testModel(services);
}
