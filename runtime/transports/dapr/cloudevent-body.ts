/**
 * Structured CloudEvents on the wire. The runtime encodes events as envelope JSON (`application/json`); daprd
 * would wrap such a body in a CloudEvent of its own (type com.dapr.event.sent, a new id), which neither Dapr apps
 * nor the runtime's decoder read as the event. So an envelope body is turned into the runtime's CloudEvent
 * mapping (runtime/cloudevents.ts: same id, type = event_type, data) before it reaches the sidecar, or a Redis
 * stream shared with Dapr apps. Bodies already in CloudEvents form, and bodies that are not envelopes, pass as
 * they are.
 *
 * The trace context also travels as `traceid` (the same W3C traceparent): daprd keeps a published CloudEvent's
 * `traceparent` only when the event has a `traceid`; without one it overwrites both with its own span
 * (components-contrib pubsub/envelope.go `FromCloudEvent`), or with '' when daprd does not trace.
 */
import type { EventEnvelope } from '../../api.ts';
import { type CloudEvent, CLOUDEVENTS_CONTENT_TYPE, toCloudEvent } from '../../cloudevents.ts';
import { jsonWithData } from '../../envelope.ts';
import type { OutgoingMessage } from '../../transport.ts';

export function asCloudEventMessage(message: OutgoingMessage): OutgoingMessage {
  if (message.contentType.split(';')[0]!.trim().toLowerCase() !== 'application/json') return message;
  const { encodedFrom, ...rest } = message;
  if (encodedFrom) {
    // Encoded by the runtime: the CloudEvent is built from the same envelope and payload JSON, not parsed back.
    return {
      ...rest,
      body: Buffer.from(jsonWithData(traced(toCloudEvent(encodedFrom.envelope)), encodedFrom.dataJson)),
      contentType: CLOUDEVENTS_CONTENT_TYPE,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.body.toString());
  } catch {
    return message;
  }
  if (!isEnvelope(parsed)) return message;
  return {
    ...rest,
    body: Buffer.from(JSON.stringify(traced(toCloudEvent(parsed)))),
    contentType: CLOUDEVENTS_CONTENT_TYPE,
  };
}

function traced(cloudEvent: CloudEvent): CloudEvent & { readonly traceid?: string } {
  return cloudEvent.traceparent ? { ...cloudEvent, traceid: cloudEvent.traceparent } : cloudEvent;
}

function isEnvelope(value: unknown): value is EventEnvelope<unknown> {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<EventEnvelope<unknown>>;
  return (
    typeof candidate.event_id === 'string' &&
    typeof candidate.event_type === 'string' &&
    candidate.metadata !== null &&
    typeof candidate.metadata === 'object'
  );
}
