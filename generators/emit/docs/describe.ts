/**
 * One-line Markdown descriptions of contract settings (addresses, SLAs, retry, dead letter, idempotency,
 * ordering), shared by every page so a policy reads the same wherever it appears.
 */
import { formatDuration } from '../../model/duration.ts';
import type {
  BackoffKind,
  Channel,
  DeliveryPolicy,
  Operation,
  RetryPolicy,
  Service,
  ServerKind,
  Sla,
} from '../../model/types.ts';
import { code, concat, join, type Md, text } from './markdown.ts';

const ms = (value: number) => code(formatDuration(value));

/** Where an operation publishes or reads: the topic and component, or the routing key and exchange. */
export function address(channel: Channel): Md {
  const binding = channel.binding;
  if (binding.kind === 'topic')
    return concat(code(channel.address), text(' on pub/sub '), code(binding.pubsub));
  const { exchange } = binding;
  return concat(
    code(binding.routingKey),
    text(` on ${exchange.type} exchange `),
    code(exchange.name),
    text(' (vhost '),
    code(exchange.vhost),
    text(')'),
  );
}

/** The percentage without float noise: 0.999 -> `99.9%`. */
const percent = (rate: number) => `${Number((rate * 100).toPrecision(6))}%`;

export function sla(target: Sla | undefined): Md {
  if (!target) return text('none');
  const parts: Md[] = [];
  if (target.publishP95 !== undefined) parts.push(concat(text('publish p95 < '), ms(target.publishP95)));
  if (target.publishP99 !== undefined) parts.push(concat(text('publish p99 < '), ms(target.publishP99)));
  if (target.processingP95 !== undefined)
    parts.push(concat(text('processing p95 < '), ms(target.processingP95)));
  if (target.eventsPerHour !== undefined) parts.push(text(`${target.eventsPerHour}/h steady`));
  if (target.peakPerSecond !== undefined) parts.push(text(`peak ${target.peakPerSecond}/s`));
  if (target.deliverySuccessRate !== undefined) {
    parts.push(text(`delivery ≥ ${percent(target.deliverySuccessRate)}`));
  }
  return parts.length > 0 ? join(parts) : text('none');
}

const BACKOFF: Record<BackoffKind, (retry: RetryPolicy) => Md> = {
  exponential: (r) =>
    concat(
      text('exponential from '),
      ms(r.initialInterval),
      text(` ×${r.multiplier} up to `),
      ms(r.maxInterval),
    ),
  constant: (r) => concat(text('every '), ms(r.initialInterval)),
  'fixed-delays': (r) => concat(text('after '), join(r.delays.map(ms))),
};

export function retry(policy: RetryPolicy): Md {
  if (policy.maxRetries === 0) return text('no retries');
  const count = text(`${policy.maxRetries} ${policy.maxRetries === 1 ? 'retry' : 'retries'}, `);
  return concat(count, BACKOFF[policy.backoff](policy));
}

export function deadLetter(delivery: DeliveryPolicy): Md {
  const { address: to, exchange } = delivery.deadLetter;
  return exchange ? concat(code(to), text(' via '), code(exchange)) : code(to);
}

export function idempotency(delivery: DeliveryPolicy): Md {
  const { key, store, ttl } = delivery.idempotency;
  return concat(code(key), text(` in ${store} for `), ms(ttl));
}

export function ordering(channel: Channel): Md {
  const policy = channel.ordering;
  if (!policy) return text('none');
  return concat(
    text('per '),
    code(policy.key),
    text(' by '),
    code(policy.sequence),
    text(', waits '),
    ms(policy.bufferTimeout),
  );
}

/** The subscription's source: the address, and on AMQP the queue the service reads. */
export function source(operation: Operation): Md {
  const queue = operation.delivery?.queue;
  if (!queue) return address(operation.channel);
  return concat(
    address(operation.channel),
    text(' into '),
    code(queue.name),
    text(` (${queue.type}, prefetch ${queue.prefetch})`),
  );
}

const SERVER_KIND: Record<ServerKind, string> = {
  'dapr-redis': 'Redis Streams',
  'dapr-rabbitmq': 'RabbitMQ',
  'redis-streams': 'Redis Streams',
  amqp: 'RabbitMQ',
  other: 'other',
};

/** The brokers a service talks to, read from its operations' bindings and the platform's servers. */
export function transports(service: Service, all: readonly Service[]): Md {
  const servers = all.flatMap((s) => s.servers);
  const found = new Map<string, Md>();
  for (const { channel } of service.operations) {
    const b = channel.binding;
    if (b.kind === 'topic') {
      const kind = servers.find((s) => s.pubsub?.name === b.pubsub)?.kind;
      const label = concat(text('Dapr '), code(b.pubsub), text(kind ? ` (${SERVER_KIND[kind]})` : ''));
      found.set(`topic:${b.pubsub}`, label);
    } else found.set(`amqp:${b.exchange.vhost}`, concat(text('RabbitMQ vhost '), code(b.exchange.vhost)));
  }
  return join([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, label]) => label));
}
