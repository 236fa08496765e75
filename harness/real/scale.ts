/**
 * `--time-scale` on real brokers: the contract's durations (retry delays, handler timeout, claim lease, ordering
 * buffer) pass `scale` times as fast, so a run whose poison event waits 1 s + 2 s + 4 s by contract takes tens of
 * milliseconds. The consumer's pipeline runs on a clock that goes 1/scale times as fast as the wall clock; the
 * transport gets the subscription with its durations scaled (RabbitMQ declares its delay queues from it) and
 * retry outcomes with their delay scaled. The checker holds backoff gaps to the scaled contract.
 */
import type { Clock, SubscriptionSpec, TimerId } from 'eventwire/runtime';
import { contractDelayMs } from '../engine/check/invariants.ts';

/** A clock on which `ms` of contract time takes `ms * scale` of wall time. */
export function scaledClock(scale: number): Clock {
  const origin = Date.now();
  const timers = new Map<TimerId, ReturnType<typeof setTimeout>>();
  let next = 1;
  return {
    now: () => origin + (Date.now() - origin) / scale,
    setTimer(callback, delayMs) {
      const id = next++;
      timers.set(
        id,
        setTimeout(
          () => {
            timers.delete(id);
            callback();
          },
          Math.max(0, delayMs * scale),
        ),
      );
      return id;
    },
    clearTimer(id) {
      clearTimeout(timers.get(id));
      timers.delete(id);
    },
  };
}

const scaled = (ms: number, scale: number) => Math.max(1, Math.round(ms * scale));

/** The subscription with every duration the transport reads scaled. */
export function scaledSpec(spec: SubscriptionSpec, scale: number): SubscriptionSpec {
  if (scale === 1) return spec;
  return {
    ...spec,
    retry: {
      ...spec.retry,
      initialIntervalMs: scaled(spec.retry.initialIntervalMs, scale),
      maxIntervalMs: spec.retry.maxIntervalMs > 0 ? scaled(spec.retry.maxIntervalMs, scale) : 0,
      delaysMs: spec.retry.delaysMs.map((ms) => scaled(ms, scale)),
    },
    handlerTimeoutMs: scaled(spec.handlerTimeoutMs, scale),
    ...(spec.ordering
      ? { ordering: { ...spec.ordering, bufferTimeoutMs: scaled(spec.ordering.bufferTimeoutMs, scale) } }
      : {}),
  };
}

/** The pipeline's claim lease (its default, pipeline.ts) in wall time: Redis expires it in real milliseconds. */
export function scaledLeaseMs(spec: SubscriptionSpec, scale: number): number {
  return scaled(Math.max(spec.handlerTimeoutMs * 2 + 10_000, 10_000), scale);
}

/** How long nothing may happen before a run counts as settled: the longest wait the contract allows, scaled. */
export function idleWindowMs(spec: SubscriptionSpec, scale: number): number {
  const retry = Math.max(spec.retry.initialIntervalMs, spec.retry.maxIntervalMs, ...spec.retry.delaysMs);
  const waits = [retry, spec.ordering?.bufferTimeoutMs ?? 0].map((ms) => ms * scale);
  return Math.max(...waits) + 400;
}

/**
 * The Redis Streams transport's processing timeout in a consumer host: an entry a dead consumer held is reclaimed
 * after it (the contract's handler timeout twice, scaled, at least 300 ms so a loaded machine's renewals keep up).
 */
export function redisProcessingTimeoutMs(spec: SubscriptionSpec, scale: number): number {
  return Math.max(300, Math.round(Math.min(60_000, spec.handlerTimeoutMs * 2) * scale));
}

/**
 * The longest a correct consumer can keep one settle busy: every retry delay of one event, a claim lease left by a
 * crashed consumer and the ordering buffer, scaled, three times over, and at least 5 s. An event still moving
 * after that is stuck (retried forever): the run ends there and the checker says what was left.
 */
export function horizonMs(spec: SubscriptionSpec, scale: number): number {
  let retries = 0;
  for (let attempt = 1; attempt <= spec.retry.maxRetries; attempt++)
    retries += contractDelayMs(spec.retry, attempt);
  const lease = Math.max(spec.handlerTimeoutMs * 2 + 10_000, 10_000);
  const contract = retries + lease + (spec.ordering?.bufferTimeoutMs ?? 0);
  return Math.max(5000, 3 * contract * scale + 2000);
}
