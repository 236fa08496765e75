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
import { constantJson, jsonOf, memberText } from '../../json-text.ts';
import type { OutgoingMessage } from '../../transport.ts';

export function asCloudEventMessage(message: OutgoingMessage): OutgoingMessage {
  const text = cloudEventText(message);
  if (text !== undefined) {
    return {
      destination: message.destination,
      eventId: message.eventId,
      eventType: message.eventType,
      body: Buffer.from(text),
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      headers: message.headers,
      ...(message.orderingKey !== undefined ? { orderingKey: message.orderingKey } : {}),
    };
  }
  if (!isEnvelopeContentType(message.contentType)) return message;
  const { encodedFrom: _none, ...rest } = message;
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

/**
 * The CloudEvent JSON of a message the runtime encoded (`encodedFrom`), as text: written from the same envelope
 * and payload JSON, not parsed back, and without reading the envelope body (built on demand, runtime/publish.ts).
 * A transport whose client sends strings (Redis) passes it as it is: a Buffer of it first was ~2 µs of client
 * CPU per event. Undefined for any other message, which `asCloudEventMessage` handles.
 */
export function cloudEventText(message: OutgoingMessage): string | undefined {
  const { encodedFrom } = message;
  if (!encodedFrom || !isEnvelopeContentType(message.contentType)) return undefined;
  return cloudEventJson(encodedFrom.envelope, encodedFrom.dataJson);
}

/** The runtime's envelope content type, the only body turned into a CloudEvent. */
function isEnvelopeContentType(contentType: string): boolean {
  return (
    contentType === 'application/json' ||
    contentType.split(';')[0]!.trim().toLowerCase() === 'application/json'
  );
}

/**
 * `JSON.stringify(traced(toCloudEvent(envelope)))` with the payload already JSON (`dataJson`): the same members
 * in the same order, byte for byte (property test in runtime/cloudevents.test.ts), written directly instead of
 * through two intermediate objects and a generic walk of their members (half the CPU, once per published event).
 */
function cloudEventJson(envelope: EventEnvelope<unknown>, dataJson: string): string {
  const { metadata } = envelope;
  const traceparent = jsonOf(metadata.traceparent);
  return (
    `{"specversion":"1.0"${memberText('id', jsonOf(envelope.event_id))}` +
    `${memberText('type', constantJson(envelope.event_type))}${memberText('source', constantJson(metadata.service))}` +
    `${memberText('time', jsonOf(envelope.timestamp))}` +
    `,"datacontenttype":"application/json","data":${dataJson}` +
    `${memberText('correlationid', jsonOf(metadata.correlation_id))}` +
    `${memberText('causationid', jsonOf(metadata.causation_id))}` +
    `${memberText('traceparent', traceparent)}${memberText('tracestate', jsonOf(metadata.tracestate))}` +
    `${memberText('dataschemaversion', constantJson(envelope.version))}` +
    `${memberText('serviceversion', constantJson(metadata.version))}` +
    // traceid: the traceparent again, when it is set (a non-empty string), as `traced` adds it.
    `${metadata.traceparent ? memberText('traceid', traceparent) : ''}}`
  );
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
