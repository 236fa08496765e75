/**
 * Small builders for hand-made contract models in the code emitter tests. Defaults mirror the contract
 * conventions (Dapr topic on `pubsub`, retry 3 with exponential backoff, dead letter `dlq.<subscription>`), so a
 * test spells out only what it is about.
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
  Service,
} from '../../model/types.ts';
import type { GeneratedFile } from '../../pipeline/plugin.ts';
import { codePlugins } from './index.ts';

const src = sourceAt;

export function message(name: string, payload: JsonSchema, extra: Partial<Message> = {}): Message {
  return testMessage(name, payload, `${name.split('.')[0] ?? 'test'}.yaml`, extra);
}

export interface ChannelOptions {
  readonly id?: string;
  readonly parameters?: readonly ChannelParameter[];
  readonly messages?: readonly Message[];
  readonly ordering?: Channel['ordering'];
}

export function topicChannel(address: string, options: ChannelOptions = {}, pubsub = 'pubsub'): Channel {
  return channelWith(address, { kind: 'topic', pubsub }, options);
}

function channelWith(address: string, binding: Channel['binding'], options: ChannelOptions): Channel {
  const channel = testChannel({
    id: options.id ?? address,
    address,
    binding,
    messages: options.messages ?? [],
    file: 'test.yaml',
    ...(options.parameters ? { parameters: options.parameters } : {}),
  });
  return options.ordering ? { ...channel, ordering: options.ordering } : channel;
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
  return testDelivery(subscription, extra);
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
  return testModel(services);
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
