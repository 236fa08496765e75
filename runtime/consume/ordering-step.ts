/**
 * The ordering step of the pipeline (subscriptions that declare a partition key and sequence), run with the
 * idempotency claim held. Returns undefined when it is the event's turn (claim held again), else the outcome.
 *
 * An event ahead of its predecessor is held in-process while delivery slots remain: a held delivery occupies
 * one of the subscription's `concurrency` slots, and the missing predecessor needs a free one. When holding
 * would take the last slot, the event is handed back (retry, not acked) instead, so even a subscription with
 * concurrency 1 makes progress; its buffer deadline is kept across those redeliveries. Both are waits: they do not
 * spend the retry budget, the buffer timeout bounds them.
 */
import type { Clock } from '../clock.ts';
import type { OrderingGuard } from '../ordering/guard.ts';
import { type Jitter, retryDelayMs } from '../retry.ts';
import type { SubscriptionSpec } from '../spec.ts';
import type { Outcome } from '../transport.ts';
import type { OrderingPosition } from './keys.ts';

export interface OrderingStepInput {
  readonly position: OrderingPosition;
  readonly guard: OrderingGuard;
  readonly spec: SubscriptionSpec;
  readonly attempt: number;
  readonly clock: Clock;
  readonly stopping?: AbortSignal;
  readonly jitter?: Jitter;
  /** Drop the idempotency claim (never hold a claim while waiting: a crash would lock the key). */
  readonly release: () => Promise<void>;
  /** Claim again once it is the event's turn; an outcome when the claim is refused. */
  readonly reclaim: () => Promise<Outcome | undefined>;
}

const ACK: Outcome = { kind: 'ack' };

export async function orderingStep(input: OrderingStepInput): Promise<Outcome | undefined> {
  const { position, guard, clock } = input;
  const verdict = await guard.check(position);
  if (verdict === 'ready') return undefined;
  await input.release();
  if (verdict === 'stale') {
    guard.forget(position);
    return ACK;
  }
  const deadline = guard.deadline(position);
  const remaining = deadline - clock.now();
  if (remaining <= 0) return timedOut(input);
  if (guard.held >= input.spec.concurrency - 1) {
    const last = await guard.lastProcessed(position);
    const delayMs = Math.min(retryDelayMs(input.spec.retry, input.attempt, input.jitter), remaining);
    return {
      kind: 'retry',
      delayMs,
      error: `waiting for sequence ${last + 1} of key '${position.key}'`,
      wait: true,
    };
  }
  const waited = await guard.waitForTurn(position, deadline, input.stopping);
  if (waited === 'aborted') {
    return { kind: 'retry', delayMs: 0, error: 'consumer stopping while event held', wait: true };
  }
  if (waited === 'timeout') return timedOut(input);
  guard.forget(position);
  return waited === 'stale' ? ACK : input.reclaim();
}

async function timedOut({ guard, position }: OrderingStepInput): Promise<Outcome> {
  guard.forget(position);
  const last = await guard.lastProcessed(position);
  return {
    kind: 'dead-letter',
    reason: 'ordering-timeout',
    error: `sequence ${position.sequence} of key '${position.key}' waited ${guard.bufferTimeoutMs} ms for sequence ${last + 1}`,
  };
}
