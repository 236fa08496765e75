/**
 * The one rule that sizes every Dapr timer from a subscription's delivery policy, so the generated Resiliency,
 * the pub/sub component and the runtime agree (runtime/README.md "Dapr timing"):
 *
 *   attempt work      = handlerTimeout + APP_OVERHEAD (idempotency claim, commit and a dead-letter publish bounded
 *                       by the 5 s outbound timeout, plus slack)
 *   inbound timeout   = attempt work + ordering bufferTimeout (an early event waits in its delivery, the claim
 *                       released) + the longest RETRY hold (the app holds a RETRY answer for the contract's delay
 *                       minus daprd's constant retry interval, so deliveries follow the contract's backoff)
 *   retry chain       = (maxRetries + 1) x attempt work + bufferTimeout (its deadline is kept across redeliveries,
 *                       so it is spent once) + every contract delay: the contract's deliveries end to end
 *   processingTimeout >= retry chain: pubsub.redis claims again any entry pending longer than processingTimeout,
 *                       counted from when it was read, so a shorter one redelivers an event daprd is still retrying
 *                       (dapr/dapr#3481); time in daprd's internal queue counts too (components-contrib#4599),
 *                       and the runtime absorbs those duplicates by waiting for the idempotency claim.
 *   idempotency lease >= attempt work: a claim outlives one delivery attempt; it stays below processingTimeout, so
 *                       the entry a crashed worker held is redelivered after its claim expired.
 *
 * daprd's inbound retry policy retries without a count limit (maxRetries -1, constant): the app counts attempts
 * and dead-letters at the contract's limit itself, so daprd never gives up on an event on its own (on daprd
 * >= 1.17 pubsub.redis acknowledges an event whose retries ran out, components-contrib PR #4208).
 */
import type { DeliveryPolicy, Millis, OrderingPolicy } from './types.ts';

/** Claim + commit + dead-letter publish (outbound timeout 5 s) + slack, per delivery attempt. */
export const DAPR_APP_OVERHEAD_MS = 10_000;
/** daprd's constant inbound retry interval (the generated policy's `duration`). */
export const DAPR_RETRY_INTERVAL_MS = 1_000;
/** pubsub.redis defaults (components-contrib common/component/redis/redis.go ParseClientFromProperties). */
export const DAPR_REDIS_DEFAULTS = { processingTimeout: 60_000, redeliverInterval: 15_000 } as const;

export interface DaprTiming {
  readonly attemptWorkMs: Millis;
  readonly inboundTimeoutMs: Millis;
  readonly retryChainMs: Millis;
  readonly minProcessingTimeoutMs: Millis;
  /** The runtime's default idempotency lease (runtime/consume/pipeline.ts: 2 x handler timeout + 10 s). */
  readonly defaultLeaseMs: Millis;
}

export function daprTiming(delivery: DeliveryPolicy, ordering?: OrderingPolicy): DaprTiming {
  const attemptWorkMs = delivery.handlerTimeout + DAPR_APP_OVERHEAD_MS;
  const buffer = ordering?.bufferTimeout ?? 0;
  const delays = delivery.retry.delays;
  const longestHold = Math.max(0, ...delays.map((delay) => delay - DAPR_RETRY_INTERVAL_MS));
  const retryChainMs =
    (delivery.retry.maxRetries + 1) * attemptWorkMs + buffer + delays.reduce((sum, delay) => sum + delay, 0);
  return {
    attemptWorkMs,
    inboundTimeoutMs: attemptWorkMs + buffer + longestHold,
    retryChainMs,
    minProcessingTimeoutMs: Math.ceil(retryChainMs / 1000) * 1000,
    defaultLeaseMs: Math.max(delivery.handlerTimeout * 2 + 10_000, 10_000),
  };
}
