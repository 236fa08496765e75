/**
 * The one set of builders every emitter test makes its hand-made contract models with. Defaults follow the
 * contract conventions (Dapr topic on `pubsub`, 3 exponential retries, dead letter `dlq.<subscription>`), so a
 * test spells out only what it is about. Two layouts of source files exist, because the goldens record them:
 * the flat one (`<service>.yaml`, operations in `test.yaml`) and `layout: 'asyncapi'` (everything of a service
 * in `asyncapi/<service>.yaml`, app id `<service>-worker` on port 8080), as the example contracts are laid out.
 */
import { kebabCase, pascalCase } from '../../model/names.ts';
import { sourceAt, testChannel, testDelivery, testMessage, testModel } from '../../model/test-builders.ts';
import type {
  AmqpExchange,
  Channel,
  ChannelParameter,
  ContractModel,
  DeliveryPolicy,
  JsonSchema,
  Message,
  Operation,
  Server,
  Service,
} from '../../model/types.ts';

export { sourceAt };

/** The one document the docs and k6 fixtures declare their messages, channels and examples in. */
export const TEST_DOCUMENT = 'asyncapi/test.yaml';

export interface MessageOptions extends Partial<Message> {
  /** The document the message is declared in; `<first name segment>.yaml` unless given. */
  readonly file?: string;
}

export function message(
  name: string,
  payload: JsonSchema = { type: 'object' },
  { file, ...extra }: MessageOptions = {},
): Message {
  return testMessage(name, payload, file ?? `${name.split('.')[0] ?? 'test'}.yaml`, extra);
}

/** A plain JSON Schema (draft-07) message declared under its own name, as the Dapr and RabbitMQ fixtures write them. */
export function jsonSchemaMessage(name: string, file: string): Message {
  return message(
    name,
    { type: 'object' },
    {
      file,
      schemaFormat: 'application/schema+json;version=draft-07',
      source: sourceAt(file, `/components/messages/${name}`),
    },
  );
}

export function example(payload: unknown, name?: string, file = TEST_DOCUMENT): Message['examples'][number] {
  return { ...(name ? { name } : {}), payload, source: sourceAt(file, '/examples/0') };
}

export interface ChannelOptions {
  readonly id?: string;
  readonly parameters?: readonly ChannelParameter[];
  readonly messages?: readonly Message[];
  readonly ordering?: Channel['ordering'];
  /** The document the channel is declared in; `test.yaml` unless given. */
  readonly file?: string;
}

export function topicChannel(address: string, options: ChannelOptions = {}, pubsub = 'pubsub'): Channel {
  return channelWith(address, { kind: 'topic', pubsub }, options);
}

export function amqpChannel(
  routingKey: string,
  exchange: Partial<AmqpExchange> = {},
  options: ChannelOptions = {},
): Channel {
  const full: AmqpExchange = {
    name: 'events',
    type: 'topic',
    durable: true,
    autoDelete: false,
    vhost: '/',
    ...exchange,
  };
  return channelWith(routingKey, { kind: 'amqp', exchange: full, routingKey }, options);
}

function channelWith(address: string, binding: Channel['binding'], options: ChannelOptions): Channel {
  const channel = testChannel({
    id: options.id ?? address,
    address,
    binding,
    messages: options.messages ?? [],
    file: options.file ?? 'test.yaml',
    ...(options.parameters ? { parameters: options.parameters } : {}),
  });
  return options.ordering ? { ...channel, ordering: options.ordering } : channel;
}

/** Dapr's own retry defaults where the contract is silent: 500 ms ×1.5 up to a minute. */
export const DAPR_RETRY: DeliveryPolicy['retry'] = {
  ...testDelivery('dapr').retry,
  initialInterval: 500,
  maxInterval: 60_000,
  multiplier: 1.5,
};

export function delivery(subscription: string, extra: Partial<DeliveryPolicy> = {}): DeliveryPolicy {
  return testDelivery(subscription, extra);
}

/** An operation before it belongs to a service; `service()` fills in the owner. */
export type OperationDraft = Omit<Operation, 'service'>;

export function send(
  id: string,
  channel: Channel,
  messages: readonly Message[] = channel.messages,
  extra: Partial<OperationDraft> = {},
): OperationDraft {
  return {
    id,
    action: 'send',
    channel,
    messages,
    source: sourceAt('test.yaml', `/operations/${id}`),
    ...extra,
  };
}

/** A receive operation; its delivery policy defaults to subscription `<id in kebab case>`. */
export function receive(
  id: string,
  channel: Channel,
  messages: readonly Message[] = channel.messages,
  extra: Partial<OperationDraft> = {},
): OperationDraft {
  return {
    id,
    action: 'receive',
    channel,
    messages,
    delivery: delivery(kebabCase(id)),
    source: sourceAt('test.yaml', `/operations/${id}`),
    ...extra,
  };
}

export function server(
  kind: Server['kind'],
  pubsub: Server['pubsub'],
  host = 'redis:6379',
  file = 'asyncapi/fixture.yaml',
): Server {
  return {
    id: kind,
    kind,
    protocol: kind === 'dapr-rabbitmq' ? 'amqp' : 'redis',
    host,
    pubsub,
    source: sourceAt(file, `/servers/${kind}`),
  };
}

export interface ServiceOptions extends Partial<Omit<Service, 'operations'>> {
  /** `asyncapi`: the service and its operations live in `asyncapi/<name>.yaml`, app `<name>-worker` on 8080. */
  readonly layout?: 'flat' | 'asyncapi';
}

export function service(
  name: string,
  operations: readonly OperationDraft[],
  { layout = 'flat', ...extra }: ServiceOptions = {},
): Service {
  const asyncapi = layout === 'asyncapi';
  const file = asyncapi ? `asyncapi/${name}.yaml` : `${name}.yaml`;
  return {
    name,
    title: `${pascalCase(name)} service`,
    version: '1.0.0',
    appId: asyncapi ? `${name}-worker` : name,
    appPort: asyncapi ? 8080 : 3000,
    appProtocol: 'http',
    servers: [],
    source: sourceAt(file, ''),
    ...extra,
    operations: operations.map((op) => ({
      ...op,
      service: name,
      ...(asyncapi ? { source: sourceAt(file, `/operations/${op.id}`) } : {}),
    })),
  };
}

/** Services sorted by name and every channel their operations use, as the model builder joins them. */
export function model(...services: readonly Service[]): ContractModel {
  return testModel(services);
}

/** A model that also declares channels no operation uses (dead-letter topics nobody reads, for instance). */
export function modelWithChannels(services: readonly Service[], channels: readonly Channel[]): ContractModel {
  return testModel(services, channels);
}
