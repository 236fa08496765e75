/**
 * Envelope headers on AMQP 0-9-1. Three of them have a native message property, and travel there instead of in
 * the header table: `event_id` as `message_id`, `event_type` as `type`, `correlation_id` as `correlation_id`.
 * That is where AMQP tooling (the management UI, shovels, other clients) looks for them, and every header-table
 * entry costs CPU on both ends: the client encodes it, the broker decodes the table of every published message
 * (it looks for CC/BCC routing headers) and stores it. The rest (causation_id, traceparent, tracestate, the
 * ordering key) have no property and stay headers. `headersOf` restores the three, so a `Delivery` carries the
 * same headers on every transport.
 */
import type { MessageProperties, Options } from 'amqplib';
import { HEADER as ENVELOPE_HEADER } from '../../headers.ts';
import type { OutgoingMessage } from '../../transport.ts';
import { HEADER } from './names.ts';

/** Envelope header -> the AMQP basic property that carries it. */
const NATIVE = [
  [ENVELOPE_HEADER.eventId, 'messageId'],
  [ENVELOPE_HEADER.eventType, 'type'],
  [ENVELOPE_HEADER.correlationId, 'correlationId'],
] as const satisfies readonly (readonly [string, keyof MessageProperties])[];

const NATIVE_NAMES: ReadonlySet<string> = new Set(NATIVE.map(([header]) => header));

export function publishProperties(message: OutgoingMessage): Options.Publish {
  const headers: Record<string, string> = {};
  for (const name in message.headers) {
    if (!NATIVE_NAMES.has(name)) headers[name] = message.headers[name]!;
  }
  if (message.orderingKey !== undefined) headers[HEADER.orderingKey] = message.orderingKey;
  const correlationId = message.headers[ENVELOPE_HEADER.correlationId];
  return {
    persistent: true,
    messageId: message.eventId,
    type: message.eventType,
    contentType: message.contentType,
    timestamp: Math.floor(Date.now() / 1000),
    ...(correlationId === undefined ? {} : { correlationId }),
    headers,
  };
}

/** String, number and boolean headers as strings, the natively carried envelope headers, and `content-type`. */
export function headersOf(properties: MessageProperties): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties.headers ?? {})) {
    if (typeof value === 'string') headers[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') headers[name] = String(value);
  }
  for (const [header, property] of NATIVE) {
    const value: unknown = properties[property];
    if (typeof value === 'string' && headers[header] === undefined) headers[header] = value;
  }
  if (typeof properties.contentType === 'string') headers['content-type'] = properties.contentType;
  return headers;
}
