/**
 * What daprd does to a published payload before it reaches the broker (components-contrib pubsub/envelope.go):
 * a body sent as application/cloudevents+json is kept as the event, with `topic` and `pubsubname` set (and
 * trace context from the request); any other content type is wrapped in a new CloudEvent (type
 * com.dapr.event.sent, source = app id, the payload in `data`).
 */
import { randomUUID } from 'node:crypto';
import { CLOUDEVENTS_CONTENT_TYPE, isJsonContentType } from '../../../runtime/transports/dapr/protocol.ts';

export class EnvelopeError extends Error {}

export interface EnvelopeInput {
  readonly pubsub: string;
  readonly topic: string;
  readonly appId: string;
  readonly contentType: string;
  /** The payload: raw bytes (single publish) or the decoded `event` of a bulk entry. */
  readonly payload: Buffer | unknown;
  readonly traceparent?: string | undefined;
  readonly tracestate?: string | undefined;
}

export function toCloudEvent(input: EnvelopeInput): Record<string, unknown> {
  const contentType = input.contentType.split(';')[0]!.trim().toLowerCase();
  const event =
    contentType === CLOUDEVENTS_CONTENT_TYPE
      ? asObject(decode(input.payload, true))
      : {
          specversion: '1.0',
          id: randomUUID(),
          source: input.appId,
          type: 'com.dapr.event.sent',
          time: new Date().toISOString(),
          datacontenttype: input.contentType || 'text/plain',
          data: decode(input.payload, isJsonContentType(contentType)),
        };
  event.topic = input.topic;
  event.pubsubname = input.pubsub;
  if (input.traceparent) {
    event.traceparent = input.traceparent;
    event.traceid = input.traceparent;
  }
  if (input.tracestate) event.tracestate = input.tracestate;
  return event;
}

function decode(payload: unknown, json: boolean): unknown {
  if (!Buffer.isBuffer(payload)) return payload;
  if (!json) return payload.toString();
  try {
    return JSON.parse(payload.toString());
  } catch {
    throw new EnvelopeError('body is not valid JSON');
  }
}

function asObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EnvelopeError('a CloudEvent must be a JSON object');
  }
  const event = { ...(value as Record<string, unknown>) };
  for (const attribute of ['specversion', 'id', 'type', 'source']) {
    if (typeof event[attribute] !== 'string')
      throw new EnvelopeError(`CloudEvent attribute '${attribute}' missing`);
  }
  return event;
}

/** `?metadata.key=value` query parameters of a publish request. */
export function publishMetadata(search: URLSearchParams): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of search) if (key.startsWith('metadata.')) metadata[key.slice(9)] = value;
  return metadata;
}
