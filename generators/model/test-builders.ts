/**
 * The pieces every emitter test builds its hand-made contract models from. Defaults follow the contract
 * conventions (JSON payloads at version 1.0, route `/events/<subscription>`, 3 exponential retries from 1 s,
 * dead letter `dlq.<subscription>`, idempotency on the event id in Redis for 24 h). The emitter tests use them
 * through generators/emit/test-support/model-builders.ts, the check and diff rule tests through
 * ci/src/test-support/model-fixtures.ts.
 */
import { pascalCase } from './names.ts';
import type {
  Channel,
  ChannelParameter,
  ContractModel,
  DeliveryPolicy,
  Message,
  Service,
  SourceRef,
} from './types.ts';

export const sourceAt = (file: string, pointer: string): SourceRef => ({ file, pointer });

export function testMessage(
  name: string,
  payload: Message['payload'],
  file: string,
  extra: Partial<Message> = {},
): Message {
  return {
    name,
    typeName: pascalCase(name),
    contentType: 'application/json',
    version: '1.0',
    payload,
    schemaFormat: 'application/vnd.aai.asyncapi+json;version=3.0.0',
    examples: [],
    piiFields: [],
    source: sourceAt(file, `/components/messages/${pascalCase(name)}`),
    ...extra,
  };
}

export interface TestChannel {
  readonly id: string;
  readonly address: string;
  readonly binding: Channel['binding'];
  readonly messages: readonly Message[];
  readonly file: string;
  readonly parameters?: readonly ChannelParameter[];
}

/** A channel keyed as the model keys it: `topic:<pubsub>:<address>` or `amqp:<vhost>:<exchange>:<key>`. */
export function testChannel({ id, address, binding, messages, file, parameters = [] }: TestChannel): Channel {
  const key =
    binding.kind === 'topic'
      ? `topic:${binding.pubsub}:${address}`
      : `amqp:${binding.exchange.vhost}:${binding.exchange.name}:${binding.routingKey}`;
  return { key, id, address, parameters, binding, messages, source: sourceAt(file, `/channels/${id}`) };
}

export function testDelivery(subscription: string, overrides: Partial<DeliveryPolicy> = {}): DeliveryPolicy {
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
    ...overrides,
  };
}

/** Services sorted by name and every channel their operations use (plus `extraChannels`), as the builder does. */
export function testModel(
  services: readonly Service[],
  extraChannels: readonly Channel[] = [],
): ContractModel {
  const channels = new Map<string, Channel>();
  for (const channel of [...services.flatMap((s) => s.operations.map((o) => o.channel)), ...extraChannels]) {
    // The first channel of a key stands for it, as the builder joins every document's channel into one.
    if (!channels.has(channel.key)) channels.set(channel.key, channel);
  }
  return { services: [...services].sort((a, b) => (a.name < b.name ? -1 : 1)), channels, diagnostics: [] };
}
