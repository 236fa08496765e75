/**
 * What a hand-written producer does per event without eventwire, for the raw-client baselines: a random id, a
 * timestamp, JSON of the same envelope shape, and the same headers. No validation, no metrics. The bytes on the
 * wire are the same size as the runtime's, so the broker does the same work for both.
 */
import { randomUUID } from 'node:crypto';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

export interface RawMessage {
  readonly eventId: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

export function rawMessage(eventType: string, data: unknown): RawMessage {
  const eventId = randomUUID();
  const envelope = {
    event_id: eventId,
    event_type: eventType,
    timestamp: new Date().toISOString(),
    version: '1.0',
    data,
    metadata: { correlation_id: eventId, service: 'order', version: '1.0.0', traceparent: TRACEPARENT },
  };
  return {
    eventId,
    body: Buffer.from(JSON.stringify(envelope)),
    headers: { event_id: eventId, event_type: eventType, correlation_id: eventId, traceparent: TRACEPARENT },
  };
}
