/**
 * AMQP message <-> Delivery, and the properties of the copies eventwire publishes to a delay queue or the
 * dead-letter queue. The attempt number travels in `x-eventwire-attempt` (set on every retry copy) plus the quorum
 * queue's `x-delivery-count` (redeliveries of the same copy after a crash or a lost connection).
 */
import type { ConsumeMessage, Options } from 'amqplib';
import type { DeadLetterReason, Delivery } from '../../transport.ts';
import { BROKER_HEADERS, HEADER } from './names.ts';
import type { AmqpDestination } from './plan.ts';
import { headersOf } from './properties.ts';

const MAX_ERROR_LENGTH = 1000;

export function attemptOf(message: ConsumeMessage): number {
  const headers = message.properties.headers ?? {};
  const base = nonNegativeInteger(headers[HEADER.attempt]) ?? 1;
  const redeliveries = nonNegativeInteger(headers['x-delivery-count']) ?? 0;
  return base + redeliveries;
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

export function toDelivery(message: ConsumeMessage, source: AmqpDestination): Delivery {
  return {
    id: String(message.fields.deliveryTag),
    body: message.content,
    headers: headersOf(message.properties),
    attempt: attemptOf(message),
    source,
    address: originalRoutingKey(message),
  };
}

/** Properties of the copy sent to a delay queue: same identity and headers, next attempt number, last error. */
export function retryCopyProperties(message: ConsumeMessage, error: string): Options.Publish {
  return copyProperties(message, {
    [HEADER.attempt]: attemptOf(message) + 1,
    [HEADER.lastError]: truncate(error),
  });
}

export function deadLetterProperties(
  message: ConsumeMessage,
  subscription: string,
  reason: DeadLetterReason,
  error: string,
): Options.Publish {
  return copyProperties(message, {
    [HEADER.deadLetterReason]: reason,
    [HEADER.deadLetterError]: truncate(error),
    [HEADER.deadLetterAttempts]: attemptOf(message),
    [HEADER.deadLetterSubscription]: subscription,
    [HEADER.deadLetteredAt]: new Date().toISOString(),
  });
}

function copyProperties(message: ConsumeMessage, extra: Record<string, string | number>): Options.Publish {
  const headers: Record<string, unknown> = { ...message.properties.headers };
  for (const name of BROKER_HEADERS) delete headers[name];
  headers[HEADER.originalRoutingKey] = originalRoutingKey(message);
  headers[HEADER.originalExchange] = originalExchange(message);
  Object.assign(headers, extra);
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

function nonNegativeInteger(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
