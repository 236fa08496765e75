/**
 * AMQP message <-> Delivery, and the properties of the copies eventwire publishes to a delay queue or the
 * dead-letter queue.
 *
 * The attempt number is counted by the transport, never read from what a publisher wrote:
 * - `x-eventwire-attempt` is eventwire's own count, set on every retry copy; it is believed only on a copy that
 *   came back through the subscription's retry exchange (the delay queues dead-letter there). A publisher's
 *   `x-eventwire-attempt: 7` on a fresh message is ignored: its first delivery is attempt 1.
 * - the quorum queue's `x-delivery-count` adds the broker's redeliveries of this copy (a crash, a lost
 *   connection, a requeue), read only on a message the broker flags `redelivered`: on a first delivery the header
 *   is whatever the publisher wrote, on a redelivery the broker has overwritten it.
 * A retry copy of a wait keeps the attempt; a retry copy of a failure carries attempt + 1.
 */
import type { ConsumeMessage, Options } from 'amqplib';
import { truncateText } from '../../limits.ts';
import { type DeadLetterReason, type Delivery, deadLetterBody, type Outcome } from '../../transport.ts';
import { UNDECODABLE } from './frame-guard.ts';
import { fitHeaders } from './header-budget.ts';
import { BROKER_HEADERS, HEADER } from './names.ts';
import type { SubscriptionPlan } from './plan.ts';
import { headersOf } from './properties.ts';

/** What the mapping needs of the subscription: where deliveries come from, where retry copies come back from. */
export type DeliveryPlan = Pick<SubscriptionPlan, 'source' | 'retryExchange'>;

export function attemptOf(message: ConsumeMessage, plan: Pick<DeliveryPlan, 'retryExchange'>): number {
  const headers = message.properties.headers ?? {};
  const ours = message.fields.exchange === plan.retryExchange;
  const base = ours ? (positiveInteger(headers[HEADER.attempt]) ?? 1) : 1;
  return base + redeliveries(message);
}

/** Redeliveries of this very copy by the broker (not of earlier copies). */
export function redeliveries(message: ConsumeMessage): number {
  if (!message.fields.redelivered) return 0;
  // Classic queues do not count: a redelivered message is at least one redelivery.
  return positiveInteger(message.properties.headers?.['x-delivery-count']) ?? 1;
}

/** Why the message's properties could not be decoded (frame-guard.ts), or undefined when they were. */
export function undecodableProperties(message: ConsumeMessage): string | undefined {
  const reason: unknown = (message.properties as unknown as Record<symbol, unknown>)[UNDECODABLE];
  return typeof reason === 'string' ? reason : undefined;
}

/** The routing key the event was published with, kept in a header once it has been through a delay queue. */
export function originalRoutingKey(message: ConsumeMessage): string {
  const kept = message.properties.headers?.[HEADER.originalRoutingKey];
  return typeof kept === 'string' ? kept : message.fields.routingKey;
}

function originalExchange(message: ConsumeMessage): string {
  const kept = message.properties.headers?.[HEADER.originalExchange];
  return typeof kept === 'string' ? kept : message.fields.exchange;
}

export function toDelivery(message: ConsumeMessage, plan: DeliveryPlan): Delivery {
  return new AmqpDelivery(message, plan);
}

/**
 * A class, not an object literal with a `headers` getter: V8 builds every such literal on its slow path with a
 * hidden class of its own, and every message makes one. The headers are built on first read: the consumer
 * pipeline never reads them (probes and tools do).
 */
class AmqpDelivery implements Delivery {
  readonly id: string;
  readonly body: Buffer;
  readonly attempt: number;
  readonly source: Delivery['source'];
  readonly address: string;
  readonly #properties: ConsumeMessage['properties'];
  #headers: Record<string, string> | undefined;

  constructor(message: ConsumeMessage, plan: DeliveryPlan) {
    this.id = String(message.fields.deliveryTag);
    this.body = message.content;
    this.attempt = attemptOf(message, plan);
    this.source = plan.source;
    this.address = originalRoutingKey(message);
    this.#properties = message.properties;
  }

  get headers(): Record<string, string> {
    this.#headers ??= headersOf(this.#properties);
    return this.#headers;
  }
}

/**
 * Properties of the copy sent to a delay queue: same identity and headers, the attempt the next delivery is
 * (unchanged after a wait), the last error.
 */
export function retryCopyProperties(
  message: ConsumeMessage,
  plan: Pick<DeliveryPlan, 'retryExchange'>,
  outcome: Extract<Outcome, { kind: 'retry' }>,
): Options.Publish {
  const attempt = attemptOf(message, plan);
  return copyProperties(message, {
    [HEADER.attempt]: outcome.wait ? attempt : attempt + 1,
    [HEADER.lastError]: truncateText(outcome.error),
  });
}

export function deadLetterProperties(
  message: ConsumeMessage,
  plan: Pick<DeliveryPlan, 'retryExchange'>,
  subscription: string,
  outcome: {
    readonly reason: DeadLetterReason;
    readonly error: string;
    readonly extra?: Record<string, string>;
  },
): Options.Publish {
  return copyProperties(message, {
    [HEADER.deadLetterReason]: outcome.reason,
    [HEADER.deadLetterError]: truncateText(outcome.error),
    [HEADER.deadLetterAttempts]: attemptOf(message, plan),
    [HEADER.deadLetterSubscription]: subscription,
    [HEADER.deadLetteredAt]: new Date().toISOString(),
    ...outcome.extra,
  });
}

/** The body and properties of a dead-letter copy (personal data masked when the pipeline masked it). */
export function deadLetterCopy(
  message: ConsumeMessage,
  plan: Pick<DeliveryPlan, 'retryExchange'>,
  subscription: string,
  outcome: Extract<Outcome, { kind: 'dead-letter' }>,
): { readonly body: Buffer; readonly properties: Options.Publish } {
  const copy = deadLetterBody(message.content, outcome);
  const properties = deadLetterProperties(message, plan, subscription, { ...outcome, extra: copy.headers });
  return { body: copy.body, properties };
}

function copyProperties(message: ConsumeMessage, own: Record<string, string | number>): Options.Publish {
  const original: Record<string, unknown> = { ...message.properties.headers };
  for (const name of BROKER_HEADERS) delete original[name];
  const headers = fitHeaders(original, {
    [HEADER.originalRoutingKey]: originalRoutingKey(message),
    [HEADER.originalExchange]: originalExchange(message),
    ...own,
  });
  const p = message.properties;
  return {
    persistent: true,
    headers,
    ...definedOnly({
      messageId: p.messageId,
      type: p.type,
      contentType: p.contentType,
      contentEncoding: p.contentEncoding,
      correlationId: p.correlationId,
      timestamp: p.timestamp,
      appId: p.appId,
    }),
  };
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== null),
  ) as Partial<T>;
}

function positiveInteger(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}
