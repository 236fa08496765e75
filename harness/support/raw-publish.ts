/**
 * Publishing around the typed publisher, the way a misbehaving or outdated producer would: a well-formed
 * envelope whose `data` breaks the contract goes straight to the transport. The consumer side must still
 * refuse it (validation on receive), which a test can only show by skipping validation on send.
 */
import {
  createEnvelope,
  ENVELOPE_CONTENT_TYPE,
  type EventEnvelope,
  encodeEnvelope,
  envelopeHeaders,
  type PublicationSpec,
  type PublishOptions,
  type Runtime,
} from 'eventwire/runtime';

export async function publishUnvalidated(
  runtime: Runtime,
  spec: PublicationSpec,
  data: unknown,
  options: PublishOptions = {},
): Promise<EventEnvelope<unknown>> {
  const envelope = createEnvelope(
    {
      eventType: spec.eventType,
      version: spec.version,
      service: { name: spec.service, version: runtime.service.version },
    },
    data,
    options,
  );
  await runtime.transport.publish([
    {
      destination: spec.destination,
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      body: encodeEnvelope(envelope),
      contentType: ENVELOPE_CONTENT_TYPE,
      headers: envelopeHeaders(envelope),
    },
  ]);
  return envelope;
}

/** The W3C trace id (second field of a traceparent), to show a follow-up event stays in its cause's trace. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.split('-')[1];
}
