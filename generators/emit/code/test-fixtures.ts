/**
 * Small builders for hand-made contract models in the code emitter tests. Defaults mirror the contract
 * conventions (Dapr topic on `pubsub`, retry 3 with exponential backoff, dead letter `dlq.<subscription>`), so a
 * test spells out only what it is about.
 */
import { kebabCase, pascalCase } from '../../model/names.ts';
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
} from '../../model/types.ts';
import type { GeneratedFile } from '../../pipeline/plugin.ts';
import { codePlugins } from './index.ts';

const src = (file: string, pointer: string) => ({ file, pointer });

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
    source: src(`${name.split('.')[0] ?? 'test'}.yaml`, `/components/messages/${pascalCase(name)}`),
    ...extra,
  };
}

export interface ChannelOptions {
  readonly id?: string;
  readonly parameters?: readonly ChannelParameter[];
  readonly messages?: readonly Message[];
  readonly ordering?: Channel['ordering'];
}

export function topicChannel(address: string, options: ChannelOptions = {}, pubsub = 'pubsub'): Channel {
  return {
    key: `topic:${pubsub}:${address}`,
    id: options.id ?? address,
    address,
    parameters: options.parameters ?? [],
    binding: { kind: 'topic', pubsub },
    messages: options.messages ?? [],
    ...(options.ordering ? { ordering: options.ordering } : {}),
    source: src('test.yaml', `/channels/${options.id ?? address}`),
  };
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
  return {
    key: `amqp:${full.vhost}:${full.name}:${routingKey}`,
    id: options.id ?? routingKey,
    address: routingKey,
    parameters: options.parameters ?? [],
    binding: { kind: 'amqp', exchange: full, routingKey },
    messages: options.messages ?? [],
    ...(options.ordering ? { ordering: options.ordering } : {}),
    source: src('test.yaml', `/channels/${options.id ?? routingKey}`),
  };
}

type OperationDraft = Omit<Operation, 'service'>;

export function sendOp(
  id: string,
  channel: Channel,
  messages: readonly Message[],
  extra: Partial<OperationDraft> = {},
): OperationDraft {
  return { id, action: 'send', channel, messages, source: src('test.yaml', `/operations/${id}`), ...extra };
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

export function receiveOp(
  id: string,
  channel: Channel,
  messages: readonly Message[],
  extra: Partial<OperationDraft> = {},
): OperationDraft {
  return {
    id,
    action: 'receive',
    channel,
    messages,
    delivery: delivery(kebabCase(id)),
    source: src('test.yaml', `/operations/${id}`),
    ...extra,
  };
}

export function service(
  name: string,
  operations: readonly OperationDraft[],
  extra: Partial<Service> = {},
): Service {
  return {
    name,
    title: `${pascalCase(name)} service`,
    version: '1.0.0',
    appId: name,
    appPort: 3000,
    appProtocol: 'http',
    operations: operations.map((op) => ({ ...op, service: name })),
    servers: [],
    source: src(`${name}.yaml`, ''),
    ...extra,
  };
}

export function model(...services: readonly Service[]): ContractModel {
  const channels = new Map<string, Channel>();
  for (const s of services) for (const op of s.operations) channels.set(op.channel.key, op.channel);
  return {
    services: [...services].sort((a, b) => (a.name < b.name ? -1 : 1)),
    channels,
    diagnostics: [],
  };
}

/** Runs every code plugin over a model; files sorted by path, as the pipeline would order them. */
export async function emitAll(contractModel: ContractModel): Promise<GeneratedFile[]> {
  const outputs = await Promise.all(codePlugins.map((p) => p.emit(contractModel, { outDir: 'generated' })));
  return outputs.flat().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The contents of one emitted file, failing loudly when the plugin did not produce it. */
export function fileText(files: readonly GeneratedFile[], path: string): string {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no file ${path}; produced: ${files.map((f) => f.path).join(', ')}`);
  return file.contents;
}
