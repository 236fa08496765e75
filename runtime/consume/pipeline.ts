/**
 * The delivery pipeline every generated consumer runs, whatever the transport:
 *
 *   size -> decode -> validator by event_type -> keys -> attempt budget -> idempotency claim -> ordering guard
 *        -> handler (timeout) -> commit -> ack
 *
 * It decides an Outcome and never throws; the transport carries the outcome out. Bad input (an oversized,
 * undecodable or out-of-limits body, an unknown event type, a payload failing its schema, a key that cannot be
 * used) is dead-lettered at once and never reaches the handler or a retry. Handler failures and infrastructure
 * errors spend the retry budget (`maxRetries`) and end in the dead letter; waits (another consumer's claim, a
 * missing ordering predecessor) do not spend it. Every text written (errors, dead-letter reasons) has the
 * event's personal data masked and is bounded. See runtime/README.md for the exact semantics.
 */
import type { ConsumerBinding, EventEnvelope } from '../api.ts';
import { type Clock, systemClock } from '../clock.ts';
import { destinationLabel } from '../destination.ts';
import { EnvelopeDecodeError, errorMessage, EventwireError, formatIssues } from '../errors.ts';
import type { IdempotencyStore } from '../idempotency/store.ts';
import { LIMITS, truncateText } from '../limits.ts';
import type { EventLogger } from '../logging.ts';
import { type EventMetrics, metricsForSpec, noopTopicMetrics, type TopicMetrics } from '../metrics.ts';
import type { OrderingGuard } from '../ordering/guard.ts';
import { redactor } from '../pii.ts';
import { type Jitter, retryDelayMs, shouldRetry } from '../retry.ts';
import type { SubscriptionSpec } from '../spec.ts';
import type { DeadLetterReason, Delivery, Outcome } from '../transport.ts';
import { compiledKeys } from './compiled.ts';
import { maskedDeadLetterBody } from './dead-letter-body.ts';
import { type DecodedBody, decodeDelivery } from './decode.ts';
import { logOutcome } from './log-outcome.ts';
import { runHandler } from './handler.ts';
import type { OrderingPosition } from './keys.ts';
import { orderingStep } from './ordering-step.ts';
import type { PipelineProbe } from './probe.ts';
import { runInDeliveryScope } from './scope.ts';

export interface PipelineDeps {
  readonly idempotency: IdempotencyStore;
  /** Required when the subscription declares ordering. */
  readonly ordering?: OrderingGuard;
  readonly metrics?: EventMetrics;
  readonly clock?: Clock;
  readonly jitter?: Jitter;
  /** Aborts handlers (through `context.signal`) when the consumer's shutdown grace period is over. */
  readonly signal?: AbortSignal;
  /** Aborted as soon as the consumer starts stopping: events held by the ordering guard stop waiting. */
  readonly stopping?: AbortSignal;
  /** Idempotency lease; defaults to twice the handler timeout plus 10 s. */
  readonly leaseMs?: number;
  /** Bodies larger than this are dead-lettered `too-large` without being read (default 256 KiB). */
  readonly maxEnvelopeBytes?: number;
  /**
   * Personal data in dead-letter copies: 'mask' (default) replaces the marked payload fields by `***`, 'keep'
   * leaves the body as delivered (for a platform whose dead-letter queues are as closed as its event streams).
   */
  readonly deadLetterPii?: 'mask' | 'keep';
  /**
   * Every error the pipeline meets: a failed handler attempt (`handler`), an infrastructure failure (`pipeline`:
   * a store unreachable) and errors after a successful handler that do not change the outcome (`commit`,
   * `release`, `ordering-advance`).
   */
  readonly onError?: (error: unknown, stage: string) => void;
  /** One line per retry and per dead letter (see logging.ts); none when absent. */
  readonly logger?: EventLogger;
  /** Observer of the pipeline's stages (test harnesses: history, crash points); see probe.ts. */
  readonly probe?: PipelineProbe;
}

const ACK: Outcome = { kind: 'ack' };

/**
 * Where the delivery's personal data is, once the pipeline knows its event type. Masking reads the delivered bytes
 * again, only when there is text to write or a dead letter to copy: most deliveries need neither, and a handler
 * may have changed the decoded payload since.
 */
interface Seen {
  pii?: readonly string[];
  /** The decoded envelope, for the log line (its id, type and trace). */
  envelope?: EventEnvelope<unknown>;
}

export async function processDelivery(
  delivery: Delivery,
  binding: ConsumerBinding,
  deps: PipelineDeps,
): Promise<Outcome> {
  const metrics = deps.metrics ? metricsForSpec(deps.metrics, binding.spec, sourceLabel) : noopTopicMetrics;
  const started = performance.now();
  metrics.consumed.inc();
  const seen: Seen = {};
  let outcome: Outcome;
  try {
    outcome = await decide(delivery, binding, deps, metrics, seen);
  } catch (error) {
    // Infrastructure failure (store unreachable, ...): the event may be fine, so redeliver it later, but
    // within the retry budget: an outage longer than the whole retry schedule dead-letters.
    metrics.failed.inc();
    deps.onError?.(error, 'pipeline');
    outcome = infrastructureFailure(binding, deps, delivery.attempt, error);
  }
  outcome = finish(outcome, delivery.body, seen, deps);
  if (deps.logger) logOutcome(deps.logger, binding, delivery, outcome, seen.envelope);
  if (outcome.kind === 'dead-letter') metrics.deadLettered.inc();
  metrics.processingDuration.observe((performance.now() - started) / 1000);
  return outcome;
}

async function decide(
  delivery: Delivery,
  binding: ConsumerBinding,
  deps: PipelineDeps,
  metrics: TopicMetrics,
  seen: Seen,
): Promise<Outcome> {
  const spec = binding.spec;
  const probe = deps.probe;
  if (probe) await probe({ stage: 'delivered', spec, delivery });
  const limit = deps.maxEnvelopeBytes ?? LIMITS.envelopeBytes;
  if (delivery.body.length > limit) {
    // Not even parsed: parsing is what costs the memory (a 10 MB body is far more as JavaScript objects).
    return deadLetter(
      'too-large',
      `body is ${delivery.body.length} bytes, over the ${limit}-byte limit (runtime.maxEnvelopeBytes)`,
    );
  }
  let decoded: DecodedBody;
  try {
    decoded = decodeDelivery(delivery.body);
  } catch (error) {
    // A number that overflows inside `data` is a bad payload; anything else means the body is no envelope.
    const inPayload = error instanceof EnvelopeDecodeError && /^\/data(\/|$)/.test(error.pointer);
    return deadLetter(inPayload ? 'invalid-payload' : 'decode-error', errorMessage(error));
  }
  const envelope = decoded.envelope;
  seen.envelope = envelope;
  const accepted = spec.eventTypes.includes(envelope.event_type);
  const validator = accepted ? binding.validators[envelope.event_type] : undefined;
  if (accepted) seen.pii = spec.pii?.[envelope.event_type];
  if (!validator) {
    return deadLetter(
      'invalid-payload',
      `event type '${envelope.event_type}' is not accepted by subscription ${spec.name} ` +
        `(accepts: ${spec.eventTypes.join(', ')})`,
    );
  }
  if (!validator(envelope.data)) {
    return deadLetter(
      'invalid-payload',
      `payload of ${envelope.event_type}: ${formatIssues(validator.errors ?? [])}`,
    );
  }
  const keys = compiledKeys(spec);
  const read = keys.idempotencyKey(envelope);
  if ('problem' in read) return deadLetter('invalid-payload', read.problem);
  const key = read.key;
  let position: OrderingPosition | undefined;
  if (keys.position) {
    const found = keys.position(envelope.data);
    if (typeof found === 'string') return deadLetter('invalid-payload', found);
    position = found;
  }

  const store = deps.idempotency;
  const leaseMs = deps.leaseMs ?? Math.max(spec.handlerTimeoutMs * 2 + 10_000, 10_000);
  // The claim's answer read here rather than through claimOutcome: one async frame less per delivery.
  const claim = await store.claim(key, leaseMs);
  if (claim !== 'claimed') return refusedClaim(claim, key, binding, deps, delivery.attempt);
  if (delivery.attempt > spec.retry.maxRetries + 1) {
    // Only deliveries that ended without an outcome (a crash, a lost connection) take the count this far: the
    // handler has had its runs. Checked after the claim, so a copy of an event already processed is acked.
    await store.release(key).catch((error: unknown) => deps.onError?.(error, 'release'));
    return deadLetter(
      'retries-exhausted',
      `attempt ${delivery.attempt}: the retry budget (maxRetries ${spec.retry.maxRetries}) was spent by ` +
        'earlier deliveries that ended without an outcome (the consumer crashed or lost its connection)',
    );
  }

  if (position && deps.ordering) {
    const guard = deps.ordering;
    let ordered: Outcome | undefined;
    try {
      ordered = await orderingStep({
        position,
        guard,
        spec,
        attempt: delivery.attempt,
        clock: deps.clock ?? systemClock,
        ...(deps.stopping ? { stopping: deps.stopping } : {}),
        ...(deps.jitter ? { jitter: deps.jitter } : {}),
        release: () => store.release(key),
        reclaim: () => claimOutcome(store, key, leaseMs, binding, deps, delivery.attempt),
      });
    } catch (error) {
      // Ordering store unreachable: give the claim back so the redelivery is not blocked for a whole lease.
      await store.release(key).catch(() => undefined);
      throw error;
    }
    if (ordered) return ordered;
  }

  if (probe) await probe({ stage: 'before-handler', spec, delivery, envelope, idempotencyKey: key });
  try {
    await runHandlerFor(delivery, binding, deps, envelope, key);
  } catch (error) {
    metrics.failed.inc();
    deps.onError?.(error, 'handler');
    await store.release(key).catch((releaseError: unknown) => deps.onError?.(releaseError, 'release'));
    const message = errorMessage(error);
    if (deps.signal?.aborted) {
      // The consumer stopped under the handler: not the event's failure, so it does not spend the budget.
      return {
        kind: 'retry',
        delayMs: 0,
        error: `consumer stopped during the handler: ${message}`,
        wait: true,
      };
    }
    if (!shouldRetry(spec.retry, delivery.attempt)) {
      return deadLetter('retries-exhausted', `attempt ${delivery.attempt}: ${message}`);
    }
    return retry(binding, deps, delivery.attempt, message);
  }

  if (probe) await probe({ stage: 'after-handler', spec, delivery, envelope, idempotencyKey: key });
  metrics.processed.inc();
  // The handler's effects are done: later bookkeeping errors are reported, never turned into a redelivery.
  if (position && deps.ordering) {
    await deps.ordering
      .complete(position)
      .catch((error: unknown) => deps.onError?.(error, 'ordering-advance'));
  }
  try {
    const committed = await store.commit(key, spec.idempotency.ttlMs);
    if (committed === 'lease-lost') deps.onError?.(new Error(`idempotency lease lost for ${key}`), 'commit');
  } catch (error) {
    deps.onError?.(error, 'commit');
  }
  if (probe) await probe({ stage: 'after-commit', spec, delivery, envelope, idempotencyKey: key });
  return ACK;
}

function runHandlerFor(
  delivery: Delivery,
  binding: ConsumerBinding,
  deps: PipelineDeps,
  envelope: EventEnvelope<unknown>,
  key: string,
): Promise<void> {
  const spec = binding.spec;
  const scope = {
    subscription: spec.name,
    idempotencyKey: key,
    idempotencyTtlMs: spec.idempotency.ttlMs,
    envelope,
    attempt: delivery.attempt,
  };
  return runInDeliveryScope(scope, () =>
    runHandler({
      handle: binding.handle,
      envelope,
      subscription: spec.name,
      attempt: delivery.attempt,
      timeoutMs: spec.handlerTimeoutMs,
      clock: deps.clock ?? systemClock,
      shutdown: deps.signal,
    }),
  );
}

/** undefined when the claim is ours; otherwise the outcome for a duplicate or a concurrent claim. */
async function claimOutcome(
  store: IdempotencyStore,
  key: string,
  leaseMs: number,
  binding: ConsumerBinding,
  deps: PipelineDeps,
  attempt: number,
): Promise<Outcome | undefined> {
  const claim = await store.claim(key, leaseMs);
  return claim === 'claimed' ? undefined : refusedClaim(claim, key, binding, deps, attempt);
}

const sourceLabel = (spec: SubscriptionSpec): string => destinationLabel(spec.source);

function refusedClaim(
  claim: 'duplicate' | 'in-progress',
  key: string,
  binding: ConsumerBinding,
  deps: PipelineDeps,
  attempt: number,
): Outcome {
  if (claim === 'duplicate') return ACK;
  // Another consumer is processing it now: come back later. A wait, not a failure: it spends no retry.
  return retry(binding, deps, attempt, `event is being processed elsewhere (${key})`, true);
}

/**
 * An error outside the handler (idempotency or ordering store unreachable, ...). A key the store refuses as
 * data (IdempotencyKeyError) is bad input; anything else counts as a failed attempt.
 */
function infrastructureFailure(
  binding: ConsumerBinding,
  deps: PipelineDeps,
  attempt: number,
  error: unknown,
): Outcome {
  const message = errorMessage(error);
  if (error instanceof EventwireError && error.code === 'idempotency-key') {
    return deadLetter('invalid-payload', message);
  }
  if (!shouldRetry(binding.spec.retry, attempt)) {
    return deadLetter('retries-exhausted', `attempt ${attempt}: pipeline error: ${message}`);
  }
  return retry(binding, deps, attempt, `pipeline error: ${message}`);
}

/** Every text leaves masked and bounded; a dead-letter copy gets its personal data masked. */
function finish(outcome: Outcome, body: Buffer, seen: Seen, deps: PipelineDeps): Outcome {
  if (outcome.kind === 'ack') return outcome;
  // Decoded again from the delivered bytes: it decoded before, so it decodes now.
  const delivered = seen.pii ? decodeDelivery(body) : undefined;
  const error = delivered
    ? redactor(delivered.envelope.data, seen.pii)(outcome.error)
    : truncateText(outcome.error);
  if (outcome.kind === 'retry') return { ...outcome, error };
  const masked =
    delivered && deps.deadLetterPii !== 'keep' ? maskedDeadLetterBody(delivered, seen.pii) : undefined;
  return { ...outcome, error, ...(masked ? { masked } : {}) };
}

function retry(
  binding: ConsumerBinding,
  deps: PipelineDeps,
  attempt: number,
  error: string,
  wait = false,
): Outcome {
  const delayMs = retryDelayMs(binding.spec.retry, attempt, deps.jitter);
  return wait ? { kind: 'retry', delayMs, error, wait } : { kind: 'retry', delayMs, error };
}

function deadLetter(reason: DeadLetterReason, error: string): Outcome {
  return { kind: 'dead-letter', reason, error };
}
