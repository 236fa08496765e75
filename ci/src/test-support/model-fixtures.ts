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
  ModelDiagnostic,
  Operation,
  Service,
} from '../../../generators/model/types.ts';

export function message(name: string, payload: JsonSchema, extra: Partial<Message> = {}): Message {
  const typeName = name
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return {
    name,
    typeName,
    contentType: 'application/json',
    version: '1.0',
    payload,
    schemaFormat: 'application/vnd.aai.asyncapi+json;version=3.0.0',
    examples: [],
    piiFields: [],
    source: { file: 'asyncapi/test.yaml', pointer: `/components/messages/${typeName}` },
    ...extra,
  };
}

interface ChannelOptions {
  readonly file?: string;
  readonly id?: string;
  readonly pubsub?: string;
  readonly parameters?: readonly ChannelParameter[];
}

export function topic(address: string, messages: readonly Message[], options: ChannelOptions = {}): Channel {
  const pubsub = options.pubsub ?? 'pubsub';
  const id = options.id ?? address.replace(/[^A-Za-z0-9]+/g, '_');
  return {
    key: `topic:${pubsub}:${address}`,
    id,
    address,
    parameters: options.parameters ?? [],
    binding: { kind: 'topic', pubsub },
    messages,
    source: { file: options.file ?? 'asyncapi/test.yaml', pointer: `/channels/${id}` },
  };
}

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
  const id = options.id ?? routingKey.replace(/[^A-Za-z0-9]+/g, '_');
  return {
    key: `amqp:${ex.vhost}:${ex.name}:${routingKey}`,
    id,
    address: routingKey,
    parameters: options.parameters ?? [],
    binding: { kind: 'amqp', exchange: ex, routingKey },
    messages,
    source: { file: options.file ?? 'asyncapi/test.yaml', pointer: `/channels/${id}` },
  };
}

export function delivery(subscription: string, declared = { retry: true, deadLetter: true }): DeliveryPolicy {
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
    concurrency: 1,
    declared,
  };
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

export function model(
  services: readonly Service[],
  diagnostics: readonly ModelDiagnostic[] = [],
): ContractModel {
  const channels = new Map<string, Channel>();
  for (const s of services)
    for (const op of s.operations)
      if (!channels.has(op.channel.key)) channels.set(op.channel.key, op.channel);
  return { services: [...services].sort((a, b) => a.name.localeCompare(b.name)), channels, diagnostics };
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
