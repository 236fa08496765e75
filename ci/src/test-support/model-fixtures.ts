/**
 * Hand-built contract models for unit tests of the check and diff rules, independent of the model builder.
 * Defaults mirror the contract conventions (Dapr pub/sub `pubsub`, retry and dead letter declared).
 */
import type {
  AmqpExchange,
  Channel,
  ChannelParameter,
  ContractModel,
  DeliveryPolicy,
  JsonSchema,
  Message,
  Operation,
  Service,
} from '../../../generators/model/types.ts';
import type { Diagnostic } from '../../../generators/diagnostics/diagnostic.ts';
import {
  testChannel,
  testDelivery,
  testMessage,
  testModel,
} from '../../../generators/model/test-builders.ts';

export function message(name: string, payload: JsonSchema, extra: Partial<Message> = {}): Message {
  return testMessage(name, payload, 'asyncapi/test.yaml', extra);
}

interface ChannelOptions {
  readonly file?: string;
  readonly id?: string;
  readonly pubsub?: string;
  readonly parameters?: readonly ChannelParameter[];
}

function channel(
  address: string,
  binding: Channel['binding'],
  messages: readonly Message[],
  options: ChannelOptions,
) {
  return testChannel({
    id: options.id ?? address.replace(/[^A-Za-z0-9]+/g, '_'),
    address,
    binding,
    messages,
    file: options.file ?? 'asyncapi/test.yaml',
    ...(options.parameters ? { parameters: options.parameters } : {}),
  });
}

export function topic(address: string, messages: readonly Message[], options: ChannelOptions = {}): Channel {
  return channel(address, { kind: 'topic', pubsub: options.pubsub ?? 'pubsub' }, messages, options);
}

/** On the identity service's exchange (`smap.events` in vhost `smap`) unless told otherwise. */
export function amqp(
  routingKey: string,
  messages: readonly Message[],
  exchange: Partial<AmqpExchange> = {},
  options: ChannelOptions = {},
): Channel {
  const ex: AmqpExchange = {
    name: 'smap.events',
    type: 'topic',
    durable: true,
    autoDelete: false,
    vhost: 'smap',
    ...exchange,
  };
  return channel(routingKey, { kind: 'amqp', exchange: ex, routingKey }, messages, options);
}

export function delivery(subscription: string, declared = { retry: true, deadLetter: true }): DeliveryPolicy {
  return testDelivery(subscription, { concurrency: 1, declared });
}

type OperationSpec = Omit<Partial<Operation>, 'service'> & Pick<Operation, 'id' | 'action' | 'channel'>;

export function send(id: string, channel: Channel, extra: Partial<OperationSpec> = {}): OperationSpec {
  return { id, action: 'send', channel, ...extra };
}

export function receive(id: string, channel: Channel, extra: Partial<OperationSpec> = {}): OperationSpec {
  return { id, action: 'receive', channel, delivery: delivery(id), ...extra };
}

export function service(
  name: string,
  operations: readonly OperationSpec[],
  file = `asyncapi/${name}.yaml`,
): Service {
  return {
    name,
    title: name,
    version: '1.0.0',
    appId: `${name}-worker`,
    appPort: 8080,
    appProtocol: 'http',
    servers: [],
    source: { file, pointer: '' },
    operations: operations.map((op) => ({
      messages: op.channel.messages,
      source: { file, pointer: `/operations/${op.id}` },
      ...op,
      service: name,
    })),
  };
}

export function model(services: readonly Service[], diagnostics: readonly Diagnostic[] = []): ContractModel {
  return { ...testModel(services), diagnostics };
}

export const objectSchema = (
  properties: Record<string, JsonSchema>,
  required: string[] = [],
  extra: Record<string, unknown> = {},
): JsonSchema => ({
  type: 'object',
  properties,
  required,
  ...extra,
});
