/**
 * The exact CloudEvents 1.0 (structured JSON mode) mapping of an envelope, for the Dapr sidecar.
 *
 *   envelope                      CloudEvent attribute
 *   event_id                  <-> id
 *   event_type                <-> type
 *   metadata.service          <-> source
 *   timestamp                 <-> time
 *   version                   <-> dataschemaversion (extension)
 *   metadata.version          <-> serviceversion    (extension)
 *   metadata.correlation_id   <-> correlationid     (extension)
 *   metadata.causation_id     <-> causationid       (extension, when present)
 *   metadata.traceparent      <-> traceparent       (extension, distributed-tracing)
 *   metadata.tracestate       <-> tracestate        (extension, when present)
 *   data                      <-> data, datacontenttype 'application/json'
 *
 * Extension names follow the spec's rule (lower-case letters and digits only). The round trip is lossless.
 * Dapr adds its own attributes (topic, pubsubname, traceid, ...) on delivery; they are ignored when reading.
 */
import type { EventEnvelope } from './api.ts';
import { EnvelopeDecodeError } from './errors.ts';
import { parseEnvelope } from './envelope.ts';
import { isValidTraceparent } from './trace-context.ts';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

export interface CloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: unknown;
  readonly correlationid: string;
  readonly causationid?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly dataschemaversion: string;
  readonly serviceversion: string;
}

export function toCloudEvent(envelope: EventEnvelope<unknown>): CloudEvent {
  const { metadata } = envelope;
  return {
    specversion: '1.0',
    id: envelope.event_id,
    type: envelope.event_type,
    source: metadata.service,
    time: envelope.timestamp,
    datacontenttype: 'application/json',
    data: envelope.data,
    correlationid: metadata.correlation_id,
    ...(metadata.causation_id !== undefined ? { causationid: metadata.causation_id } : {}),
    ...(metadata.traceparent !== undefined ? { traceparent: metadata.traceparent } : {}),
    ...(metadata.tracestate !== undefined ? { tracestate: metadata.tracestate } : {}),
    dataschemaversion: envelope.version,
    serviceversion: metadata.version,
  };
}

export function isCloudEvent(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && 'specversion' in value;
}

/**
 * Read a structured-mode CloudEvent: one produced by `toCloudEvent` (possibly enriched by Dapr), or a plain one
 * from an ordinary Dapr publisher, which carries only the CloudEvents attributes. What the envelope needs and a
 * plain CloudEvent lacks is derived instead of refused: correlation id = the event id, schema version
 * 'unversioned', service version 'unknown', timestamp = now when `time` is absent (daprd sets it on publish).
 * The trace context is `traceparent`, else Dapr's legacy `traceid`; empty strings (daprd writes '' when it does
 * not trace) count as absent. Only `id`, `type`, `source` and the data are required.
 */
export function fromCloudEvent(value: unknown): EventEnvelope<unknown> {
  if (!isCloudEvent(value)) throw new EnvelopeDecodeError('', 'must be a CloudEvent JSON object');
  if (value.specversion !== '1.0') {
    throw new EnvelopeDecodeError('/specversion', `must be '1.0', got ${JSON.stringify(value.specversion)}`);
  }
  const traceparent =
    present(value.traceparent) ?? (isValidTraceparent(asString(value.traceid)) ? value.traceid : undefined);
  const tracestate = present(value.tracestate);
  // Reuse the envelope's structural checks; pointers name envelope fields, which mirror the attributes.
  return parseEnvelope({
    event_id: value.id,
    event_type: value.type,
    timestamp: value.time ?? new Date().toISOString(),
    version: value.dataschemaversion ?? 'unversioned',
    data: readData(value),
    metadata: {
      correlation_id: value.correlationid ?? value.id,
      causation_id: value.causationid,
      service: value.source,
      version: value.serviceversion ?? 'unknown',
      traceparent,
      tracestate,
    },
  });
}

function present(value: unknown): unknown {
  return value === '' || value === null ? undefined : value;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function readData(event: Record<string, unknown>): unknown {
  if ('data' in event) return event.data;
  if (typeof event.data_base64 === 'string') {
    const text = Buffer.from(event.data_base64, 'base64').toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      throw new EnvelopeDecodeError('/data', 'data_base64 does not hold JSON');
    }
  }
  throw new EnvelopeDecodeError('/data', 'is required (CloudEvent has neither data nor data_base64)');
}
