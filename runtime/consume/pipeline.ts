/**
 * The delivery pipeline every generated consumer runs, whatever the transport:
 *
 *   decode -> validator by event_type -> idempotency claim -> ordering guard -> handler (timeout) -> commit -> ack
 *
 * It decides an Outcome and never throws; the transport carries the outcome out. Bad input (undecodable body,
 * unknown event type, payload failing its schema) is dead-lettered at once and never reaches the handler or a
 * retry. A failing handler releases its claim and is retried with backoff until `maxRetries`, then
 * dead-lettered. See runtime/README.md for the exact semantics.
 */
import type { ConsumerBinding, EventEnvelope } from '../api.ts';
import { type Clock, systemClock } from '../clock.ts';
import { destinationLabel } from '../destination.ts';
import { errorMessage, formatIssues } from '../errors.ts';
import type { IdempotencyStore } from '../idempotency/store.ts';
import { type EventMetrics, noopTopicMetrics, type TopicMetrics } from '../metrics.ts';
import type { OrderingGuard } from '../ordering/guard.ts';
import { type Jitter, retryDelayMs, shouldRetry } from '../retry.ts';
import type { DeadLetterReason, Delivery, Outcome } from '../transport.ts';
import { decodeDeliveryBody } from './decode.ts';
import { runHandler } from './handler.ts';
import { compiledKeys } from './compiled.ts';
import { orderingStep } from './ordering-step.ts';
import type { OrderingPosition } from './keys.ts';
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
  /** Errors after a successful handler (commit, ordering advance) that do not change the outcome. */
  readonly onError?: (error: unknown, stage: string) => void;
  /** Observer of the pipeline's stages (test harnesses: history, crash points); see probe.ts. */
  readonly probe?: PipelineProbe;
}

const ACK: Outcome = { kind: 'ack' };

export async function processDelivery(
  delivery: Delivery,
  binding: ConsumerBinding,
  deps: PipelineDeps,
): Promise<Outcome> {
  const spec = binding.spec;
  const metrics = deps.metrics?.forTopic(spec.service, destinationLabel(spec.source)) ?? noopTopicMetrics;
  const started = performance.now();
  metrics.consumed.inc();
  let outcome: Outcome;
  try {
    outcome = await decide(delivery, binding, deps, metrics);
  } catch (error) {
    // Infrastructure failure (store unreachable, ...): the event may be fine, so redeliver it later.
    metrics.failed.inc();
    outcome = retry(binding, deps, delivery.attempt, `pipeline error: ${errorMessage(error)}`);
  }
  if (outcome.kind === 'dead-letter') metrics.deadLettered.inc();
  metrics.processingDuration.observe((performance.now() - started) / 1000);
  return outcome;
}

async function decide(
  delivery: Delivery,
  binding: ConsumerBinding,
  deps: PipelineDeps,
  metrics: TopicMetrics,
): Promise<Outcome> {
  const spec = binding.spec;
  const keys = compiledKeys(spec);
  const probe = deps.probe;
  if (probe) await probe({ stage: 'delivered', spec, delivery });
  let envelope: EventEnvelope<unknown>;
  try {
    envelope = decodeDeliveryBody(delivery.body);
  } catch (error) {
    return deadLetter('decode-error', errorMessage(error));
  }
  const validator = spec.eventTypes.includes(envelope.event_type)
    ? binding.validators[envelope.event_type]
    : undefined;
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
  const key = keys.idempotencyKey(envelope);
  if (key === undefined) {
    return deadLetter('invalid-payload', `idempotency key ${spec.idempotency.key} has no value in the event`);
  }
  let position: OrderingPosition | undefined;
  if (keys.position) {
    const read = keys.position(envelope.data);
    if (typeof read === 'string') return deadLetter('invalid-payload', read);
    position = read;
  }

  const store = deps.idempotency;
  const leaseMs = deps.leaseMs ?? Math.max(spec.handlerTimeoutMs * 2 + 10_000, 10_000);
  const claimed = await claimOutcome(store, key, leaseMs, binding, deps, delivery.attempt);
  if (claimed) return claimed;

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
    const scope = {
      subscription: spec.name,
      idempotencyKey: key,
      idempotencyTtlMs: spec.idempotency.ttlMs,
      envelope,
      attempt: delivery.attempt,
    };
    await runInDeliveryScope(scope, () =>
      runHandler({
        handle: binding.handle,
        envelope,
        subscription: spec.name,
        attempt: delivery.attempt,
        timeoutMs: spec.handlerTimeoutMs,
        clock: deps.clock ?? systemClock,
        ...(deps.signal ? { shutdown: deps.signal } : {}),
      }),
    );
  } catch (error) {
    metrics.failed.inc();
    await store.release(key).catch((releaseError: unknown) => deps.onError?.(releaseError, 'release'));
    const message = errorMessage(error);
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
  if (claim === 'claimed') return undefined;
  if (claim === 'duplicate') return ACK;
  // Another consumer is processing it now: come back later. Not a failure, so it never exhausts retries.
  return retry(binding, deps, attempt, `event is being processed elsewhere (${key})`);
}

function retry(binding: ConsumerBinding, deps: PipelineDeps, attempt: number, error: string): Outcome {
  return { kind: 'retry', delayMs: retryDelayMs(binding.spec.retry, attempt, deps.jitter), error };
}

function deadLetter(reason: DeadLetterReason, error: string): Outcome {
  return { kind: 'dead-letter', reason, error };
}
