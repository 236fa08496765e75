/**
 * What daprd does to a published payload before it reaches the broker, read from Dapr's source:
 * - dapr pkg/runtime/pubsub/cloudevents.go `NewCloudEvent`: a body sent as application/cloudevents+json goes
 *   through components-contrib pubsub/envelope.go `FromCloudEvent`; anything else is wrapped by
 *   `NewCloudEventsEnvelope`, after `cloudevent.*` metadata overrides (id, source, type, subject, traceid,
 *   traceparent, tracestate; matched without regard to case, like mapstructure.WeakDecode).
 * - `FromCloudEvent`: the JSON must be an object (otherwise daprd answers 500 ERR_PUBSUB_CLOUD_EVENTS_SER);
 *   `time` is set when absent; when `traceid` is absent BOTH `traceid` and `traceparent` are overwritten with
 *   daprd's own span; `tracestate` is set when absent; `topic` and `pubsubname` are stamped; missing `source`,
 *   `type`, `specversion` get the defaults "Dapr", "com.dapr.event.sent", "1.0". A missing `id` stays missing.
 * - `NewCloudEventsEnvelope`: only `application/json` (exactly, parameters allowed; contenttype.IsJSONContentType)
 *   is parsed as JSON (unparsable JSON is kept as a string, not refused); `application/octet-stream` goes to
 *   `data_base64`; everything else is a string in `data`.
 * - components-contrib pubsub/envelope.go `ApplyMetadata`: `ttl` / `ttlInSeconds` metadata (a Go duration or
 *   whole seconds, metadata/utils.go `TryGetTTL`) becomes `expiration` (RFC 3339, whole seconds), since
 *   pubsub.redis does not declare the message-TTL feature.
 * - dapr pkg/api/http/util.go `ConvertEventToBytes`: how a bulk entry's `event` becomes bytes per content type.
 */
import { randomUUID } from 'node:crypto';

export class EnvelopeError extends Error {
  readonly errorCode: string;
  readonly status: number;
  constructor(status: number, errorCode: string, message: string) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }
}

export interface EnvelopeInput {
  readonly pubsub: string;
  readonly topic: string;
  readonly appId: string;
  readonly contentType: string;
  readonly payload: Buffer;
  /** daprd's publish span (W3C), or '' when daprd has no span (tracing disabled). */
  readonly traceparent: string;
  readonly tracestate: string;
  readonly metadata: Readonly<Record<string, string>>;
}

const OVERRIDES = ['id', 'source', 'type', 'subject', 'traceid', 'traceparent', 'tracestate'] as const;

function baseType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

export const isCloudEventType = (contentType: string) =>
  baseType(contentType) === 'application/cloudevents+json';
const isJsonType = (contentType: string) => baseType(contentType) === 'application/json';
const isBinaryType = (contentType: string) => baseType(contentType) === 'application/octet-stream';
const isStringType = (contentType: string) =>
  contentType.toLowerCase().startsWith('text/') || baseType(contentType) === 'application/xml';

export function toCloudEvent(input: EnvelopeInput): Record<string, unknown> {
  const event = isCloudEventType(input.contentType) ? fromCloudEvent(input) : newEnvelope(input);
  applyMetadata(event, input.metadata);
  return event;
}

function fromCloudEvent(input: EnvelopeInput): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.payload.toString());
  } catch (error) {
    throw cannotCreate(`invalid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw cannotCreate('a CloudEvent must be a JSON object');
  }
  const event = { ...(parsed as Record<string, unknown>) };
  if (!('time' in event)) event.time = rfc3339(new Date());
  if (!('traceid' in event)) {
    event.traceid = input.traceparent;
    event.traceparent = input.traceparent;
  }
  if (!('tracestate' in event)) event.tracestate = input.tracestate;
  event.topic = input.topic;
  event.pubsubname = input.pubsub;
  event.source ??= 'Dapr';
  event.type ??= 'com.dapr.event.sent';
  event.specversion ??= '1.0';
  return event;
}

function newEnvelope(input: EnvelopeInput): Record<string, unknown> {
  const overrides: Partial<Record<(typeof OVERRIDES)[number], string>> = {};
  for (const [key, value] of Object.entries(input.metadata)) {
    const name = key.toLowerCase().replace(/^cloudevent\./, '');
    if (key.toLowerCase().startsWith('cloudevent.') && (OVERRIDES as readonly string[]).includes(name)) {
      overrides[name as (typeof OVERRIDES)[number]] = value;
    }
  }
  const traceparent = overrides.traceparent || overrides.traceid || input.traceparent;
  const contentType = input.contentType || 'text/plain';
  const event: Record<string, unknown> = {
    id: overrides.id || randomUUID(),
    specversion: '1.0',
    datacontenttype: contentType,
    source: overrides.source || input.appId || 'Dapr',
    type: overrides.type || 'com.dapr.event.sent',
    topic: input.topic,
    pubsubname: input.pubsub,
    traceid: traceparent,
    traceparent,
    tracestate: overrides.tracestate || input.tracestate,
    time: rfc3339(new Date()),
  };
  if (isJsonType(contentType)) {
    try {
      event.data = JSON.parse(input.payload.toString());
    } catch {
      event.data = input.payload.toString();
    }
  } else if (isBinaryType(contentType)) {
    event.data_base64 = input.payload.toString('base64');
  } else {
    event.data = input.payload.toString();
  }
  if (overrides.subject) event.subject = overrides.subject;
  return event;
}

function applyMetadata(event: Record<string, unknown>, metadata: Readonly<Record<string, string>>): void {
  const ttl = ttlMs(metadata);
  if (ttl !== undefined) event.expiration = rfc3339(new Date(Date.now() + ttl));
}

/** components-contrib metadata/utils.go TryGetTTL: a Go duration, else whole seconds (> 0). */
export function ttlMs(metadata: Readonly<Record<string, string>>): number | undefined {
  const value = metadata.ttl ?? metadata.ttlInSeconds;
  if (!value) return undefined;
  const duration = goDurationMs(value);
  if (duration !== undefined) return Math.max(0, duration);
  // An invalid TTL is ignored: ApplyMetadata drops TryGetTTL's error.
  return /^\d+$/.test(value) && Number(value) > 0 ? Number(value) * 1000 : undefined;
}

const GO_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration, in milliseconds; undefined when it would fail. */
export function goDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  const match = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const [, number, unit] of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(number) * GO_UNITS[unit!]!;
  }
  return match[1] === '-' ? -total : total;
}

/** Go's time.RFC3339 format: whole seconds, `Z` for UTC. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function cannotCreate(detail: string): EnvelopeError {
  return new EnvelopeError(500, 'ERR_PUBSUB_CLOUD_EVENTS_SER', `cannot create cloudevent: ${detail}`);
}

/** dapr pkg/api/http/util.go ConvertEventToBytes: a bulk entry's event as bytes, or a 400 for a mismatch. */
export function bulkEventBytes(event: unknown, contentType: string): Buffer {
  const mismatch = () =>
    new EnvelopeError(
      400,
      'ERR_PUBSUB_EVENTS_SER',
      `error when marshalling cloud event envelope: content type '${contentType}' does not match the event`,
    );
  if (isBinaryType(contentType)) {
    if (typeof event !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(event) || event.length % 4 !== 0) {
      throw mismatch();
    }
    return Buffer.from(event, 'base64');
  }
  if (isStringType(contentType)) {
    if (typeof event !== 'string') throw mismatch();
    return Buffer.from(event);
  }
  if (isJsonType(contentType) || isCloudEventType(contentType)) return Buffer.from(JSON.stringify(event));
  throw mismatch();
}

/** `?metadata.key=value` query parameters of a publish request (dapr pkg/api/http/http.go). */
export function publishMetadata(search: URLSearchParams): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of search) {
    if (key.startsWith('metadata.') && !(key.slice(9) in metadata)) metadata[key.slice(9)] = value;
  }
  return metadata;
}
