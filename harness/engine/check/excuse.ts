/**
 * Dead letters of healthy events that the schedule's faults explain, by the runtime's own rules
 * (runtime/README.md, "Attempts" and "Ordering"):
 *
 * - `retry-budget`: `retries-exhausted` once the event's handler failures plus its deliveries cut off by a crash
 *   or a dropped connection exceed `maxRetries`. Injected crashes spend the budget of a healthy event.
 * - `ordering-predecessor`: `ordering-timeout` while a lower sequence of the same key had not been processed.
 *   The ordering guard advances a key's position only when a handler run of the predecessor completes (just
 *   before its idempotency commit). A predecessor whose handler ran but whose consumer died before that point,
 *   and which then ran out of budget, was never processed: the runtime holds its successors until their buffer
 *   timeout and dead-letters them. It does not promise to release them when the predecessor is dead-lettered.
 *
 * Anything else (a dead letter with no such cause) stays a `healthy` violation.
 */
import type { RetrySpec } from 'eventwire/runtime';
import type { Excuse, ExcuseKind } from '../types.ts';
import type { EventFacts, RunFacts } from './facts.ts';

export const EXCUSE_TEXT: Readonly<Record<ExcuseKind, string>> = {
  'retry-budget': 'retry budget spent by failures and crashed deliveries',
  'ordering-predecessor': 'ordering-timeout behind a predecessor never processed',
};

type DeadLetter = EventFacts['deadLetters'][number];

export function excuseFor(
  event: EventFacts,
  dead: DeadLetter,
  facts: RunFacts,
  retry: RetrySpec,
): Excuse | undefined {
  if (dead.reason === 'retries-exhausted') {
    const failures = event.deliveries.filter((delivery) => delivery.handlerError !== undefined).length;
    const cutOff = event.deliveries.filter((delivery) => delivery.settled === undefined).length;
    if (failures + cutOff <= retry.maxRetries) return undefined;
    return {
      event: event.ref,
      kind: 'retry-budget',
      reason: dead.reason,
      explanation:
        `${event.ref} dead-lettered ${dead.reason}: its retry budget (maxRetries ${retry.maxRetries}) was spent by ` +
        `${failures} handler failure${failures === 1 ? '' : 's'} and ${cutOff} deliver${cutOff === 1 ? 'y' : 'ies'} ` +
        'cut off by a crash or a dropped connection',
    };
  }
  if (dead.reason === 'ordering-timeout') {
    const blocker = unprocessedPredecessor(event, dead.at, facts);
    if (!blocker) return undefined;
    return {
      event: event.ref,
      kind: 'ordering-predecessor',
      reason: dead.reason,
      explanation:
        `${event.ref} (key ${event.planned.key}, seq ${event.planned.seq}) dead-lettered ${dead.reason}: ` +
        `${blocker.ref} (seq ${blocker.planned.seq}) ${predecessorState(blocker, dead.at)}`,
    };
  }
  return undefined;
}

/** When the ordering guard recorded the event as processed: a handler run that went on to its commit. */
export function processedAt(event: EventFacts): number | undefined {
  const times = event.deliveries
    .filter((delivery) => delivery.handlerOk !== undefined && delivery.committedAt !== undefined)
    .map((delivery) => delivery.committedAt!);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The lowest sequence of the event's key not yet processed at `at`, if any. */
function unprocessedPredecessor(event: EventFacts, at: number, facts: RunFacts): EventFacts | undefined {
  const { key, seq } = event.planned;
  if (key === undefined || seq === undefined) return undefined;
  return [...facts.events.values()]
    .filter(
      (other) => other.planned.key === key && other.planned.seq !== undefined && other.planned.seq < seq,
    )
    .filter((other) => {
      const processed = processedAt(other);
      return processed === undefined || processed > at;
    })
    .sort((a, b) => a.planned.seq! - b.planned.seq!)[0];
}

function predecessorState(blocker: EventFacts, at: number): string {
  const ranOk = blocker.deliveries.some((delivery) => delivery.handlerOk !== undefined);
  const dead = blocker.deadLetters[0];
  const ending = dead ? `, then was dead-lettered ${dead.reason}` : '';
  const processed = processedAt(blocker);
  if (processed !== undefined)
    return `was processed only at ${processed} ms, after the successor's buffer timeout (${at} ms)`;
  if (ranOk)
    return `was never processed: its handler ran, but the consumer died before the ordering position advanced${ending}`;
  if (blocker.deliveries.length === 0) return `was never delivered${ending}`;
  return `was never processed${ending}`;
}
