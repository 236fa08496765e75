/**
 * One CloudEvent from daprd -> one Delivery for the pipeline -> one status for daprd.
 *
 *   ack          -> SUCCESS
 *   retry        -> RETRY. daprd's resiliency policy for the component decides when to redeliver; the outcome's
 *                   delay cannot be passed to daprd (generated resiliency.yaml mirrors the contract's backoff).
 *   dead-letter  -> deadLetterMode 'app' (default): the app publishes the CloudEvent, enriched with the reason,
 *                   to the subscription's dead-letter topic through the sidecar, then answers SUCCESS (RETRY if
 *                   that publish fails, so nothing is lost). deadLetterMode 'sidecar': answers DROP; daprd
 *                   forwards a dropped message to the subscription's deadLetterTopic (daprd's subscription.go
 *                   handles ErrMessageDropped that way) but the reason is lost. A body that is not a CloudEvent
 *                   object is always answered DROP, since only daprd holds its original bytes.
 *
 * daprd sends no delivery count, so the attempt comes from an AttemptTracker keyed by subscription and
 * CloudEvent id (attempts.ts).
 */
import { createHash } from 'node:crypto';
import type { SubscriptionSpec } from '../../spec.ts';
import type { Delivery, Outcome } from '../../transport.ts';
import type { AttemptTracker } from './attempts.ts';
import type { AppStatus } from './protocol.ts';
import type { RouteBinding } from './route-binding.ts';

export type DeadLetterMode = 'app' | 'sidecar';

export interface DeadLetterRequest {
  readonly spec: SubscriptionSpec;
  readonly cloudEvent: Record<string, unknown>;
}

export interface DeliverContext {
  readonly attempts: AttemptTracker;
  readonly deadLetterMode: DeadLetterMode;
  /** Publishes a dead letter through the sidecar (deadLetterMode 'app'). */
  readonly publishDeadLetter: (request: DeadLetterRequest) => Promise<void>;
  readonly onError: (message: string, details: Record<string, unknown>) => void;
}

/** CloudEvent extension attributes added to dead letters published by the app (lowercase alphanumerics). */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: 'deadletterreason',
  error: 'deadlettererror',
  attempts: 'deadletterattempts',
  topic: 'deadletterorigin',
  subscription: 'deadlettersub',
} as const;

export async function deliverEvent(
  context: DeliverContext,
  binding: RouteBinding,
  body: Buffer,
  headers: Readonly<Record<string, string>>,
): Promise<AppStatus> {
  const { spec } = binding;
  const cloudEvent = parseObject(body);
  const id =
    typeof cloudEvent?.id === 'string' ? cloudEvent.id : createHash('sha1').update(body).digest('hex');
  const key = `${spec.name}:${id}`;
  let attempt: number;
  try {
    attempt = await context.attempts.next(key);
  } catch (error) {
    context.onError('could not count the delivery attempt; asking Dapr to retry', {
      id,
      error: String(error),
    });
    return 'RETRY';
  }
  const topic = spec.source.kind === 'topic' ? spec.source.topic : '';
  const delivery: Delivery = {
    id,
    body,
    headers,
    attempt,
    source: spec.source,
    address: typeof cloudEvent?.topic === 'string' ? cloudEvent.topic : topic,
  };
  const outcome = await binding
    .limit(() => binding.handler(delivery))
    .catch((error: unknown): Outcome => fallbackOutcome(error, attempt, spec));
  switch (outcome.kind) {
    case 'ack':
      await context.attempts.forget(key).catch(() => undefined);
      return 'SUCCESS';
    case 'retry':
      // A wait spends no attempt: the count of this delivery is taken back.
      if (outcome.wait) await context.attempts.waited(key).catch(() => undefined);
      return 'RETRY';
    case 'dead-letter':
      return deadLetter(context, spec, key, cloudEvent, outcome, attempt, delivery.address);
  }
}

async function deadLetter(
  context: DeliverContext,
  spec: SubscriptionSpec,
  key: string,
  cloudEvent: Record<string, unknown> | undefined,
  outcome: Extract<Outcome, { kind: 'dead-letter' }>,
  attempt: number,
  topic: string,
): Promise<AppStatus> {
  if (context.deadLetterMode === 'sidecar' || cloudEvent === undefined) {
    await context.attempts.forget(key).catch(() => undefined);
    return 'DROP';
  }
  // The pipeline's copy has the payload's personal data masked: that is what goes to the dead-letter topic.
  const copy = outcome.masked ? parseObject(outcome.masked.body) : undefined;
  const enriched = {
    ...(copy ?? cloudEvent),
    [DEAD_LETTER_ATTRIBUTES.reason]: outcome.reason,
    [DEAD_LETTER_ATTRIBUTES.error]: outcome.error,
    [DEAD_LETTER_ATTRIBUTES.attempts]: attempt,
    [DEAD_LETTER_ATTRIBUTES.topic]: topic,
    [DEAD_LETTER_ATTRIBUTES.subscription]: spec.name,
  };
  try {
    await context.publishDeadLetter({ spec, cloudEvent: enriched });
  } catch (error) {
    context.onError('publishing a dead letter failed; asking Dapr to retry', {
      subscription: spec.name,
      deadLetterTopic: spec.deadLetter.address,
      error: error instanceof Error ? error.message : String(error),
    });
    return 'RETRY';
  }
  await context.attempts.forget(key).catch(() => undefined);
  return 'SUCCESS';
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString());
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A throwing handler stays on the retry path and ends at the contract's retry limit (same rule as Redis). */
function fallbackOutcome(error: unknown, attempt: number, spec: SubscriptionSpec): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  if (attempt > spec.retry.maxRetries)
    return { kind: 'dead-letter', reason: 'retries-exhausted', error: message };
  return { kind: 'retry', delayMs: spec.retry.initialIntervalMs, error: message };
}
