/** Bodies arrive as the envelope's JSON or, through the Dapr sidecar, as a structured CloudEvent. */
import type { EventEnvelope } from '../api.ts';
import { fromCloudEvent, isCloudEvent } from '../cloudevents.ts';
import { parseEnvelope, parseJson } from '../envelope.ts';

export interface DecodedBody {
  readonly envelope: EventEnvelope<unknown>;
  /** The parsed body as delivered, unknown fields included: what a rewritten dead-letter copy starts from. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly format: 'envelope' | 'cloudevent';
}

export function decodeDelivery(body: Buffer): DecodedBody {
  const parsed = parseJson(body);
  if (isCloudEvent(parsed)) return { envelope: fromCloudEvent(parsed), raw: parsed, format: 'cloudevent' };
  const envelope = parseEnvelope(parsed);
  return { envelope, raw: parsed as Record<string, unknown>, format: 'envelope' };
}

export function decodeDeliveryBody(body: Buffer): EventEnvelope<unknown> {
  return decodeDelivery(body).envelope;
}
