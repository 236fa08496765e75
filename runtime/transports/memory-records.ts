/** What the in-memory transport records for inspection, and how it builds a dead-lettered copy. */
import { DEAD_LETTER_HEADER } from '../headers.ts';
import { deadLetterBody, type OutgoingMessage, type Outcome } from '../transport.ts';
import type { Group } from './memory-dispatch.ts';
import type { PendingDelivery } from './memory-queue.ts';

export interface DeadLetterRecord {
  readonly subscription: string;
  readonly address: string;
  readonly eventId: string;
  readonly attempt: number;
  readonly reason: string;
  readonly error: string;
  readonly body: Buffer;
}

export interface OutcomeRecord {
  readonly subscription: string;
  readonly eventId: string;
  readonly attempt: number;
  readonly outcome: Outcome;
  readonly crashed: boolean;
}

/**
 * The dead-letter copy: same body (personal data masked, when the pipeline masked it), original headers plus the reason, published to the dead-letter address as
 * a topic (on the subscription's pub/sub component, or `memory` for AMQP sources).
 */
export function deadLetterOf(
  group: Group,
  pending: PendingDelivery,
  outcome: Extract<Outcome, { kind: 'dead-letter' }>,
): { record: DeadLetterRecord; message: OutgoingMessage } {
  const { message } = pending.stored;
  const { reason, error } = outcome;
  const copy = deadLetterBody(message.body, outcome);
  const address = group.spec.deadLetter.address;
  const source = group.spec.source;
  const original = message.destination;
  return {
    record: {
      subscription: group.name,
      address,
      eventId: message.eventId,
      attempt: pending.attempt,
      reason,
      error,
      body: copy.body,
    },
    message: {
      ...message,
      body: copy.body,
      destination: {
        kind: 'topic',
        pubsub: source.kind === 'topic' ? source.pubsub : 'memory',
        topic: address,
      },
      headers: {
        ...message.headers,
        [DEAD_LETTER_HEADER.reason]: reason,
        [DEAD_LETTER_HEADER.error]: error,
        [DEAD_LETTER_HEADER.subscription]: group.spec.name,
        [DEAD_LETTER_HEADER.originalAddress]:
          original.kind === 'topic' ? original.topic : `${original.exchange}/${original.routingKey}`,
        [DEAD_LETTER_HEADER.attempts]: String(pending.attempt),
        ...copy.headers,
      },
    },
  };
}
