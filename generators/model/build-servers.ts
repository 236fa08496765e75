/** Servers of one document: the transport kind follows from the protocol and the Dapr pub/sub extension. */
import { parseDuration } from './duration.ts';
import { childPointer } from '../parse/pointer.ts';
import type { ParsedDocument } from '../parse/types.ts';
import { type BuildContext, sortedEntries, text } from './build-context.ts';
import type { PubSubComponent, Server, ServerKind } from './types.ts';

interface PubSubExtension {
  name: string;
  consumerId?: string;
  redeliverInterval?: string;
  processingTimeout?: string;
  maxLenApprox?: number;
  concurrency?: number;
}

const AMQP_PROTOCOLS = new Set(['amqp', 'amqps']);
const REDIS_PROTOCOLS = new Set(['redis', 'rediss']);

export function serverKind(protocol: string, dapr: boolean): ServerKind {
  if (REDIS_PROTOCOLS.has(protocol)) return dapr ? 'dapr-redis' : 'redis-streams';
  if (AMQP_PROTOCOLS.has(protocol)) return dapr ? 'dapr-rabbitmq' : 'amqp';
  return 'other';
}

export function pubSubComponent(extension: PubSubExtension): PubSubComponent {
  const { name, consumerId, redeliverInterval, processingTimeout, maxLenApprox, concurrency } = extension;
  const redeliver = redeliverInterval === undefined ? undefined : parseDuration(redeliverInterval);
  const processing = processingTimeout === undefined ? undefined : parseDuration(processingTimeout);
  return {
    name,
    ...(consumerId === undefined ? {} : { consumerId }),
    ...(redeliver === undefined ? {} : { redeliverInterval: redeliver }),
    ...(processing === undefined ? {} : { processingTimeout: processing }),
    ...(maxLenApprox === undefined ? {} : { maxLenApprox }),
    ...(concurrency === undefined ? {} : { concurrency }),
  };
}

export interface DocumentServer {
  readonly server: Server;
  /** The parser's object for this server: channels list their servers by identity. */
  readonly resolved: Record<string, unknown>;
}

export function buildServers(ctx: BuildContext, doc: ParsedDocument): DocumentServer[] {
  return sortedEntries(doc.resolved.servers).map(([id, resolved]) => {
    const protocol = (text(resolved.protocol) ?? 'unknown').toLowerCase();
    const extension = ctx.extension<PubSubExtension>(resolved, 'x-eventwire-pubsub');
    const server: Server = {
      id,
      kind: serverKind(protocol, extension !== undefined),
      protocol,
      host: text(resolved.host) ?? text(resolved.url) ?? '',
      ...(text(resolved.protocolVersion) ? { protocolVersion: text(resolved.protocolVersion) } : {}),
      ...(extension ? { pubsub: pubSubComponent(extension) } : {}),
      source: ctx.source(doc, childPointer('/servers', id)),
    };
    return { server, resolved };
  });
}
