/**
 * One CloudEvent from daprd -> one Delivery for the pipeline -> one status for daprd.
 *
 *   ack          -> SUCCESS
 *   retry        -> RETRY, answered after the rest of the contract's delay: daprd's generated inbound policy
 *                   retries at a constant `sidecarRetryIntervalMs`, so holding the answer for
 *                   `delayMs - sidecarRetryIntervalMs` makes the gap between deliveries the contract's backoff.
 *                   A retry because another consumer holds the event's idempotency claim (a duplicate, e.g. a
 *                   processingTimeout redelivery, dapr/components-contrib#4599) is not answered at once: the
 *                   delivery waits for that claim for up to one handler run, so a duplicate does not spend a
 *                   daprd retry (and daprd never dead-letters an event another delivery is completing).
 *   dead-letter  -> deadLetterMode 'app' (default): the app publishes the CloudEvent, enriched with the reason,
 *                   to the subscription's dead-letter topic through the sidecar, then answers SUCCESS. When that
 *                   publish fails the dead letter is parked and the answer is RETRY: the next delivery of the
 *                   event publishes the parked dead letter without running the handler again. The generated
 *                   inbound policy retries without a count limit (maxRetries -1), so daprd never gives up on
 *                   its own: on daprd >= 1.17 a failure that ends daprd's retries is acknowledged by
 *                   pubsub.redis and the event would be gone (components-contrib PR #4208).
 *                   deadLetterMode 'sidecar': answers DROP; daprd publishes the event unchanged to the
 *                   subscription's deadLetterTopic (subscription.go, ErrMessageDropped) without the reason.
 *                   A body that is not a JSON object is always answered DROP: only daprd holds its bytes.
 *
 * daprd sends no delivery count, so the attempt comes from an AttemptTracker keyed by app, subscription and
 * CloudEvent id (attempts.ts): two apps with a subscription of the same name count separately.
 */
import { createHash } from 'node:crypto';
import type { SubscriptionSpec } from '../../spec.ts';
import type { Delivery, Outcome } from '../../transport.ts';
import type { AttemptTracker } from './attempts.ts';
import { deadLetterBody } from './dead-letter-body.ts';
import type { AppStatus } from './protocol.ts';
import type { RouteBinding } from './route-binding.ts';

export type DeadLetterMode = 'app' | 'sidecar';

export interface DeadLetterRequest {
  readonly spec: SubscriptionSpec;
  /** The dead letter, a structured CloudEvent. */
  readonly body: Buffer;
  readonly traceparent?: string;
}

export interface DeliverContext {
  readonly attempts: AttemptTracker;
  readonly deadLetterMode: DeadLetterMode;
  /** Publishes a dead letter through the sidecar (deadLetterMode 'app'). */
  readonly publishDeadLetter: (request: DeadLetterRequest) => Promise<void>;
  readonly onError: (message: string, details: Record<string, unknown>) => void;
  /** The Dapr app id, part of the attempt key; default the subscription's service. */
  readonly appId?: string;
  /** daprd's constant retry interval (the generated inbound policy's `duration`). */
  readonly sidecarRetryIntervalMs: number;
  /** Dead letters whose publish failed, by attempt key, published again on the next delivery. */
  readonly parked: Map<string, DeadLetterRequest>;
}

/** CloudEvent extension attributes added to dead letters published by the app (lowercase alphanumerics). */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: 'deadletterreason',
  error: 'deadlettererror',
  attempts: 'deadletterattempts',
  topic: 'deadletterorigin',
  subscription: 'deadlettersub',
} as const;

const MAX_PARKED = 10_000;

/** Deliveries running in this process, per app, subscription and event id. */
const inFlight = new Map<string, number>();

function leave(key: string): void {
  const left = (inFlight.get(key) ?? 1) - 1;
  if (left > 0) inFlight.set(key, left);
  else inFlight.delete(key);
}

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
  const key = `${context.appId ?? spec.service}:${spec.name}:${id}`;
  const parked = context.parked.get(key);
  if (parked) return publishParked(context, key, parked);
  let attempt: number;
  // Deliveries of this event already running here: their counts are in the tracker but not yet settled (a wait
  // takes its count back when it ends). Two delivery chains of one event run at once on Dapr (a publisher retry
  // is a second stream entry; pubsub.redis reclaims an entry while daprd still retries it), and without this a
  // chain would be numbered past the others' waits and dead-letter a healthy event early.
  const running = inFlight.get(key) ?? 0;
  inFlight.set(key, running + 1);
  try {
    attempt = Math.max(1, (await context.attempts.next(key)) - running);
  } catch (error) {
    leave(key);
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
  let outcome: Awaited<ReturnType<typeof runWaitingForClaims>>;
  try {
    outcome = await runWaitingForClaims(binding, delivery);
    // Settled here: a wait takes its count back before another delivery of the event is numbered.
    if (outcome.kind === 'retry' && outcome.wait) await context.attempts.waited(key).catch(() => undefined);
  } finally {
    leave(key);
  }
  switch (outcome.kind) {
    case 'ack':
      await context.attempts.forget(key).catch(() => undefined);
      return 'SUCCESS';
    case 'retry':
      // A wait spent no attempt: its count was taken back above.
      await sleep(outcome.delayMs - context.sidecarRetryIntervalMs);
      return 'RETRY';
    case 'dead-letter': {
      if (context.deadLetterMode === 'sidecar' || cloudEvent === undefined) {
        await context.attempts.forget(key).catch(() => undefined);
        return 'DROP';
      }
      // The pipeline's copy has the payload's personal data masked: that is what goes to the dead-letter topic.
      const masked = outcome.masked ? parseObject(outcome.masked.body) : undefined;
      const letter = deadLetterBody(masked ? outcome.masked!.body : body, masked ?? cloudEvent, {
        [DEAD_LETTER_ATTRIBUTES.reason]: outcome.reason,
        [DEAD_LETTER_ATTRIBUTES.error]: outcome.error,
        [DEAD_LETTER_ATTRIBUTES.attempts]: attempt,
        [DEAD_LETTER_ATTRIBUTES.topic]: delivery.address,
        [DEAD_LETTER_ATTRIBUTES.subscription]: spec.name,
      });
      const traceparent = typeof cloudEvent.traceparent === 'string' ? cloudEvent.traceparent : undefined;
      return publishParked(context, key, { spec, body: letter, ...(traceparent ? { traceparent } : {}) });
    }
  }
}

/** Publishes a dead letter; parks it and asks daprd to retry when the sidecar refuses it. */
async function publishParked(
  context: DeliverContext,
  key: string,
  request: DeadLetterRequest,
): Promise<AppStatus> {
  try {
    await context.publishDeadLetter(request);
  } catch (error) {
    if (!context.parked.has(key) && context.parked.size >= MAX_PARKED) {
      context.parked.delete(context.parked.keys().next().value!);
    }
    context.parked.set(key, request);
    context.onError(
      'publishing a dead letter failed; asking Dapr to retry (the handler will not run again)',
      {
        subscription: request.spec.name,
        deadLetterTopic: request.spec.deadLetter.address,
        error: error instanceof Error ? error.message : String(error),
      },
    );
    return 'RETRY';
  }
  context.parked.delete(key);
  await context.attempts.forget(key).catch(() => undefined);
  return 'SUCCESS';
}

/**
 * Runs the pipeline; while it answers "another consumer holds the claim", waits and runs it again, for up to
 * the time that holder may take (handler timeout plus the ordering buffer), then lets daprd retry.
 */
async function runWaitingForClaims(binding: RouteBinding, delivery: Delivery): Promise<Outcome> {
  const { spec } = binding;
  const deadline = Date.now() + spec.handlerTimeoutMs + (spec.ordering?.bufferTimeoutMs ?? 0);
  for (let pause = 50; ; pause = Math.min(pause * 2, 1_000)) {
    const outcome = await binding
      .limit(() => binding.handler(delivery))
      .catch((error: unknown): Outcome => fallbackOutcome(error, delivery.attempt, spec));
    if (!isClaimWait(outcome) || Date.now() + pause > deadline) return outcome;
    await sleep(pause);
  }
}

/**
 * The pipeline's retry for an idempotency claim held by another consumer (runtime/consume/pipeline.ts
 * `claimOutcome`): a wait (`wait`) whose message names the held claim (an ordering wait says otherwise).
 */
function isClaimWait(outcome: Outcome): boolean {
  return (
    outcome.kind === 'retry' &&
    outcome.wait === true &&
    outcome.error.startsWith('event is being processed elsewhere')
  );
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

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
