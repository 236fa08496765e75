/**
 * Transport header names written by the runtime. Every transport copies them verbatim, so consumers (and
 * brokers' own tooling) can route, trace and inspect without decoding the body.
 */
import type { EventEnvelope } from './api.ts';

export const HEADER = {
  eventId: 'event_id',
  eventType: 'event_type',
  correlationId: 'correlation_id',
  causationId: 'causation_id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

/** Added to a message when it is dead-lettered, so DLQ tooling can show why and replay it. */
export const DEAD_LETTER_HEADER = {
  reason: 'x-eventwire-dead-letter-reason',
  error: 'x-eventwire-dead-letter-error',
  subscription: 'x-eventwire-subscription',
  originalAddress: 'x-eventwire-original-address',
  attempts: 'x-eventwire-attempts',
  /** JSON pointers of the payload fields masked in the copy's body (personal data), comma-separated. */
  piiMasked: 'x-eventwire-pii-masked',
} as const;

export function envelopeHeaders(envelope: EventEnvelope<unknown>): Record<string, string> {
  const { metadata } = envelope;
  const headers: Record<string, string> = {
    [HEADER.eventId]: envelope.event_id,
    [HEADER.eventType]: envelope.event_type,
    [HEADER.correlationId]: metadata.correlation_id,
  };
  if (metadata.causation_id !== undefined) headers[HEADER.causationId] = metadata.causation_id;
  if (metadata.traceparent !== undefined) headers[HEADER.traceparent] = metadata.traceparent;
  if (metadata.tracestate !== undefined) headers[HEADER.tracestate] = metadata.tracestate;
  return headers;
}
