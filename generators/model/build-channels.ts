/**
 * Channels of one document, identified across documents by their key: the publisher's channel and each
 * subscriber's channel for the same topic (or AMQP exchange + routing key) become one Channel.
 */
import { parseDuration } from './duration.ts';
import { childPointer, isRecord } from '../parse/pointer.ts';
import type { ParsedDocument } from '../parse/types.ts';
import { type BuildContext, sortedEntries, text } from './build-context.ts';
import type { MessageDraft, MessageRegistry } from './build-messages.ts';
import type { DocumentServer } from './build-servers.ts';
import type {
  AmqpExchange,
  ChannelBinding,
  ChannelParameter,
  OrderingPolicy,
  PubSubComponent,
  SourceRef,
} from './types.ts';

const EXCHANGE_TYPES = new Set(['topic', 'direct', 'fanout', 'headers']);

/** One document's view of a channel, before channels of all documents are joined by key. */
export interface ChannelDraft {
  readonly key: string;
  readonly id: string;
  readonly address: string;
  readonly parameters: readonly ChannelParameter[];
  readonly binding: ChannelBinding;
  readonly ordering?: OrderingPolicy;
  /** Messages by their id in this channel (`messages.<id>`), in id order. */
  readonly messages: ReadonlyMap<string, MessageDraft>;
  /** Dapr pub/sub component of the channel's server, for defaults (concurrency). */
  readonly component?: PubSubComponent;
  /** Ids of the document's servers the channel is on (all of them when it lists none). */
  readonly servers: readonly string[];
  readonly source: SourceRef;
}

export function channelKey(binding: ChannelBinding, address: string): string {
  return binding.kind === 'topic'
    ? `topic:${binding.pubsub}:${address}`
    : `amqp:${binding.exchange.vhost}:${binding.exchange.name}:${binding.routingKey}`;
}

function amqpBinding(amqp: Record<string, unknown>, address: string): ChannelBinding {
  const exchange = isRecord(amqp.exchange) ? amqp.exchange : {};
  const queue = isRecord(amqp.queue) ? amqp.queue : {};
  if (amqp.is === 'queue') {
    // Publishing straight to a queue goes through the default exchange, with the queue name as routing key.
    const vhost = text(queue.vhost) ?? '/';
    const defaultExchange: AmqpExchange = {
      name: '',
      type: 'direct',
      durable: true,
      autoDelete: false,
      vhost,
    };
    return { kind: 'amqp', exchange: defaultExchange, routingKey: text(queue.name) ?? address };
  }
  const type = text(exchange.type);
  const named: AmqpExchange = {
    name: type === 'default' ? '' : (text(exchange.name) ?? ''),
    type:
      type && EXCHANGE_TYPES.has(type)
        ? (type as AmqpExchange['type'])
        : type === 'default'
          ? 'direct'
          : 'topic',
    durable: exchange.durable !== false,
    autoDelete: exchange.autoDelete === true,
    vhost: text(exchange.vhost) ?? '/',
  };
  return { kind: 'amqp', exchange: named, routingKey: address };
}

/** Parameters in the order they appear in the address (`{region}.{id}`), then any others by name. */
function parameters(channel: Record<string, unknown>, address: string): ChannelParameter[] {
  const position = (name: string) => {
    const at = address.indexOf(`{${name}}`);
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  return sortedEntries(channel.parameters)
    .map(([name, parameter]): ChannelParameter => {
      const values = Array.isArray(parameter.enum) ? parameter.enum.map(String) : undefined;
      const description = text(parameter.description);
      return { name, ...(values ? { enum: values } : {}), ...(description ? { description } : {}) };
    })
    .sort((a, b) => position(a.name) - position(b.name));
}

interface OrderingExtension {
  key: string;
  sequence: string;
  bufferTimeout?: string;
}

export function buildChannelDrafts(
  ctx: BuildContext,
  doc: ParsedDocument,
  servers: readonly DocumentServer[],
  registry: MessageRegistry,
): Map<string, ChannelDraft> {
  const drafts = new Map<string, ChannelDraft>();
  for (const [id, channel] of sortedEntries(doc.resolved.channels)) {
    const pointer = childPointer('/channels', id);
    // An absent or null address is dynamic (reply channels): the id is the only stable name it has.
    const address = text(channel.address) ?? id;
    const listed = Array.isArray(channel.servers) ? channel.servers : [];
    const own = servers.filter(({ resolved }) => listed.length === 0 || listed.includes(resolved));
    const component = own.map(({ server }) => server.pubsub).find((pubsub) => pubsub !== undefined);
    const bindings = isRecord(channel.bindings) ? channel.bindings : {};
    const binding: ChannelBinding = isRecord(bindings.amqp)
      ? amqpBinding(bindings.amqp, address)
      : { kind: 'topic', pubsub: component?.name ?? 'default' };
    const ordering = ctx.extension<OrderingExtension>(channel, 'x-eventwire-ordering');
    const messages = new Map<string, MessageDraft>();
    for (const [messageId, message] of sortedEntries(channel.messages)) {
      const at = childPointer(pointer, 'messages', messageId);
      messages.set(messageId, registry.register(ctx, doc, at, message, messageId));
    }
    drafts.set(id, {
      key: channelKey(binding, address),
      id,
      address,
      parameters: parameters(channel, address),
      binding,
      ...(ordering
        ? {
            ordering: {
              key: ordering.key,
              sequence: ordering.sequence,
              bufferTimeout: parseDuration(ordering.bufferTimeout ?? '5m') ?? 300_000,
            },
          }
        : {}),
      messages,
      ...(component ? { component } : {}),
      servers: own.map(({ server }) => server.id),
      source: ctx.source(doc, pointer),
    });
  }
  return drafts;
}
