/**
 * The pipeline's log lines: a warning per retry, an error per dead letter, a debug line per handled event or
 * wait. Every line carries the same fields, so one query finds an event's whole history (`event_id`) or a
 * subscription's failures (`subscription`, `outcome`).
 */
import type { ConsumerBinding, EventEnvelope } from '../api.ts';
import { destinationLabel } from '../destination.ts';
import { type EventLogger, traceIdOf } from '../logging.ts';
import type { Delivery, Outcome } from '../transport.ts';

export function logOutcome(
  logger: EventLogger,
  binding: ConsumerBinding,
  delivery: Delivery,
  outcome: Outcome,
  envelope: EventEnvelope<unknown> | undefined,
): void {
  // Acks and waits are debug lines: at the usual `info` level, one per delivery built for nothing.
  const debugOnly = outcome.kind === 'ack' || (outcome.kind === 'retry' && outcome.wait === true);
  if (debugOnly && logger.isLevelEnabled?.('debug') === false) return;
  const spec = binding.spec;
  const fields: Record<string, unknown> = {
    event_id: envelope?.event_id,
    event_type: envelope?.event_type,
    service: spec.service,
    subscription: spec.name,
    topic: destinationLabel(spec.source),
    attempt: delivery.attempt,
    outcome: outcome.kind,
    trace_id: traceIdOf(envelope?.metadata?.traceparent),
    delivery_id: delivery.id,
  };
  if (outcome.kind === 'ack') {
    logger.debug(fields, 'event handled');
    return;
  }
  if (outcome.kind === 'retry') {
    const line = { ...fields, error: outcome.error, retry_in_ms: outcome.delayMs };
    if (outcome.wait) logger.debug({ ...line, wait: true }, 'event redelivered later (wait, not a failure)');
    else logger.warn(line, `event failed on attempt ${delivery.attempt}; retrying in ${outcome.delayMs} ms`);
    return;
  }
  logger.error(
    { ...fields, error: outcome.error, reason: outcome.reason, dead_letter: spec.deadLetter.address },
    `event dead-lettered to ${spec.deadLetter.address} (${outcome.reason})`,
  );
}
