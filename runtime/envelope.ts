/**
 * The platform envelope: creation (ids, timestamps, correlation, causation, trace context) and the JSON wire
 * encoding. Decoding checks structure only; payload validation against the schema is the pipeline's job.
 */
import type { EventEnvelope, EventMetadata, PublishOptions } from './api.ts';
import { EnvelopeDecodeError } from './errors.ts';
import { chooseTraceContext } from './trace-context.ts';
import { lastUuidV7Time, uuidv7 } from './uuid.ts';

export interface EnvelopeSource {
  readonly eventType: string;
  /** Schema version of `data`. */
  readonly version: string;
  readonly service: { readonly name: string; readonly version: string };
}

export function createEnvelope<T>(
  source: EnvelopeSource,
  data: T,
  options: PublishOptions = {},
  now: number = Date.now(),
): EventEnvelope<T> {
  const eventId = uuidv7(now);
  const eventMs = lastUuidV7Time();
  const causedBy = options.causedBy;
  const trace = chooseTraceContext({
    traceparent: options.traceparent,
    tracestate: options.tracestate,
    inherited: causedBy?.metadata,
  });
  const metadata: EventMetadata = {
    correlation_id: options.correlationId ?? causedBy?.metadata.correlation_id ?? uuidv7(now),
    ...(causedBy ? { causation_id: causedBy.event_id } : {}),
    service: source.service.name,
    version: source.service.version,
    traceparent: trace.traceparent,
    ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
  };
  return {
    event_id: eventId,
    event_type: source.eventType,
    // The id's own millisecond, so timestamp order and id order never disagree.
    timestamp: isoTimestamp(eventMs),
    version: source.version,
    data,
    metadata,
  };
}

let isoMs = -1;
let isoText = '';

/** ISO-8601 UTC; cached per millisecond because formatting dates is a visible cost at 50k events/s. */
function isoTimestamp(ms: number): string {
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

export function encodeEnvelope(envelope: EventEnvelope<unknown>): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

export function decodeEnvelope(body: Buffer | string): EventEnvelope<unknown> {
  return parseEnvelope(parseJson(body));
}

export function parseJson(body: Buffer | string): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (error) {
    throw new EnvelopeDecodeError('', `is not valid JSON (${(error as Error).message})`);
  }
}

/** Structural check of a parsed body; returns a clean envelope without unknown top-level fields. */
export function parseEnvelope(value: unknown): EventEnvelope<unknown> {
  const body = expectObject(value, '');
  // Checked in document order, so the first error reported is the first field a reader would look at.
  const eventId = expectString(body, 'event_id', '');
  const eventType = expectString(body, 'event_type', '');
  const timestamp = expectString(body, 'timestamp', '');
  if (Number.isNaN(Date.parse(timestamp))) {
    throw new EnvelopeDecodeError('/timestamp', `must be an ISO-8601 date-time, got '${timestamp}'`);
  }
  const version = expectString(body, 'version', '');
  if (!('data' in body)) throw new EnvelopeDecodeError('/data', 'is required');
  const metadata = expectObject(body.metadata, '/metadata');
  return {
    event_id: eventId,
    event_type: eventType,
    timestamp,
    version,
    data: body.data,
    metadata: {
      correlation_id: expectString(metadata, 'correlation_id', '/metadata'),
      ...optionalString(metadata, 'causation_id', '/metadata'),
      service: expectString(metadata, 'service', '/metadata'),
      version: expectString(metadata, 'version', '/metadata'),
      ...optionalString(metadata, 'traceparent', '/metadata'),
      ...optionalString(metadata, 'tracestate', '/metadata'),
    },
  };
}

type Fields = Record<string, unknown>;

function expectObject(value: unknown, pointer: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EnvelopeDecodeError(pointer, 'must be a JSON object');
  }
  return value as Fields;
}

function expectString(fields: Fields, name: string, parent: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new EnvelopeDecodeError(`${parent}/${name}`, 'must be a non-empty string');
  }
  return value;
}

function optionalString<K extends string>(
  fields: Fields,
  name: K,
  parent: string,
): Partial<Record<K, string>> {
  const value = fields[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') throw new EnvelopeDecodeError(`${parent}/${name}`, 'must be a string');
  return { [name]: value } as Partial<Record<K, string>>;
}
