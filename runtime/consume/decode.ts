/** Bodies arrive as the envelope's JSON or, through the Dapr sidecar, as a structured CloudEvent. */
import type { EventEnvelope } from '../api.ts';
import { fromCloudEvent, isCloudEvent } from '../cloudevents.ts';
import { parseEnvelope, parseJson } from '../envelope.ts';

export function decodeDeliveryBody(body: Buffer): EventEnvelope<unknown> {
  const parsed = parseJson(body);
  return isCloudEvent(parsed) ? fromCloudEvent(parsed) : parseEnvelope(parsed);
}
