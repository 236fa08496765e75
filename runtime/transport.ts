/**
 * One transport interface, four implementations (Redis Streams, RabbitMQ, Dapr sidecar, in-memory).
 *
 * A transport moves encoded envelopes and executes the outcome the consumer pipeline decides for each delivery
 * (ack, retry after a delay, dead-letter). It knows nothing of schemas, idempotency or ordering: those live in
 * the pipeline (consume/pipeline.ts) so every transport gets the same delivery rules, tested once.
 */
import type { EventEnvelope } from './api.ts';
import { DEAD_LETTER_HEADER } from './headers.ts';
import type { Destination, SubscriptionSpec } from './spec.ts';

export type TransportKind = 'redis-streams' | 'rabbitmq' | 'dapr' | 'memory';

/** One encoded envelope ready for the wire. */
export interface OutgoingMessage {
  readonly destination: Destination;
  readonly eventId: string;
  readonly eventType: string;
  /** UTF-8 JSON of the envelope (or of the CloudEvent for Dapr). */
  readonly body: Buffer;
  readonly contentType: string;
  /** Transport headers: traceparent, correlation id, ... */
  readonly headers: Readonly<Record<string, string>>;
  /** Partition/ordering key, when the channel declares one. */
  readonly orderingKey?: string;
  /**
   * What `body` was encoded from, when the runtime encoded it: a transport that re-encodes the event (as a
   * CloudEvent) starts from here instead of parsing the body back. `dataJson` is the payload's JSON exactly as
   * `body` holds it, fixed when the event was validated, so a caller changing its object afterwards changes
   * neither encoding.
   */
  readonly encodedFrom?: EncodedEnvelope;
}

export interface EncodedEnvelope {
  readonly envelope: EventEnvelope<unknown>;
  readonly dataJson: string;
}

/** One message handed to a subscriber. */
export interface Delivery {
  /** Transport id: stream entry id, AMQP delivery tag, CloudEvent id. */
  readonly id: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * 1 on the first delivery, then 1 + the failures of this message so far, as the transport keeps count (the
   * stream's delivery counter, the RabbitMQ copy's header and x-delivery-count, the Dapr attempt tracker):
   * handler failures, infrastructure errors, and deliveries that ended without an outcome (a crashed consumer,
   * a lost connection). Deliveries that ended in a wait (`retry` with `wait`) are not counted.
   * See runtime/README.md, "Attempts".
   */
  readonly attempt: number;
  readonly source: Destination;
  /** Routing key or topic the message was actually published with. */
  readonly address: string;
}

/** What the pipeline decided; the transport carries it out. */
export type Outcome =
  | { readonly kind: 'ack' }
  | {
      readonly kind: 'retry';
      readonly delayMs: number;
      readonly error: string;
      /**
       * The delivery waited (another consumer holds the event's claim, an ordering predecessor is missing, the
       * consumer is stopping): redeliver without counting it, so the next delivery has the same `attempt`.
       */
      readonly wait?: boolean;
    }
  | {
      readonly kind: 'dead-letter';
      readonly reason: DeadLetterReason;
      readonly error: string;
      /** The copy's body when it differs from the delivered one: the payload's personal data masked. */
      readonly masked?: MaskedBody;
    };

export type DeadLetterReason =
  | 'invalid-payload'
  | 'decode-error'
  | 'retries-exhausted'
  | 'ordering-timeout'
  | 'too-large';

/** A dead-letter body with personal data masked, and the JSON pointers (into the payload) that were masked. */
export interface MaskedBody {
  readonly body: Buffer;
  readonly fields: readonly string[];
}

/** The body a dead-letter copy carries and the headers that say how it differs from the delivered one. */
export function deadLetterBody(
  delivered: Buffer,
  outcome: Extract<Outcome, { kind: 'dead-letter' }>,
): { readonly body: Buffer; readonly headers: Readonly<Record<string, string>> } {
  if (!outcome.masked) return { body: delivered, headers: {} };
  return {
    body: outcome.masked.body,
    headers: { [DEAD_LETTER_HEADER.piiMasked]: outcome.masked.fields.join(',') },
  };
}

export type DeliveryHandler = (delivery: Delivery) => Promise<Outcome>;

export interface SubscriptionHandle {
  /** Graceful stop: stop fetching, let in-flight deliveries finish and be acknowledged, then release. */
  stop(): Promise<void>;
}

export interface Transport {
  readonly kind: TransportKind;
  /** Resolves once every message is durable at the broker (stream append, publisher confirm, sidecar 204). */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(spec: SubscriptionSpec, handler: DeliveryHandler): Promise<SubscriptionHandle>;
  close(): Promise<void>;
}
