/**
 * daprd's inbound resiliency for a pub/sub component, as the fake sidecar applies it to each delivery:
 * - the retry policy of `spec.policies.retries` (dapr/kit retry/retry.go `Config.NewBackOff`): `constant` waits
 *   `duration` between attempts; `exponential` is cenkalti/backoff's ExponentialBackOff with dapr/kit's
 *   defaults (initial 500 ms, multiplier 1.5, randomization 0.5, `maxInterval` default 60 s) and stops after
 *   15 minutes elapsed (backoff.DefaultMaxElapsedTime); `maxRetries: -1` retries without a count limit
 *   (dapr/kit `DefaultConfig`, and `WithMaxRetries` only for maxRetries >= 0);
 * - the timeout policy: each attempt is cancelled after `timeoutMs` and counts as a failed attempt
 *   (pkg/resiliency/policy.go runs every attempt under its own timeout).
 */

export interface ResiliencyPolicy {
  /** `constant` (dapr/kit's default policy) or `exponential`. Default constant. */
  readonly policy?: 'constant' | 'exponential';
  /** Retries after the first attempt; -1 = no limit. Default 3 (the fake's choice, so tests end). */
  readonly maxRetries?: number;
  /** Constant back-off between attempts (Dapr `duration`, default 5 s; the fake defaults to 50 ms). */
  readonly durationMs?: number;
  /** Exponential: the first interval (dapr/kit: 500 ms, not configurable from the Resiliency resource). */
  readonly initialIntervalMs?: number;
  /** Exponential: the cap (Dapr `maxInterval`, default 60 s). */
  readonly maxIntervalMs?: number;
  /** Exponential: growth per attempt (dapr/kit: 1.5). */
  readonly multiplier?: number;
  /** Exponential: +/- share of randomness (dapr/kit: 0.5). Tests may set 0 for exact gaps. */
  readonly randomizationFactor?: number;
  /** Exponential: give up after this much time (cenkalti/backoff DefaultMaxElapsedTime: 15 min). */
  readonly maxElapsedMs?: number;
  /** Per-attempt timeout (Resiliency `timeouts`); undefined = none. */
  readonly timeoutMs?: number;
  /** @deprecated use durationMs (kept so existing callers keep their meaning). */
  readonly intervalMs?: number;
  /** @deprecated use policy: 'exponential'. */
  readonly exponential?: boolean;
}

/** The delay before retry number `retry` (1-based), or undefined when the policy gives up. */
export function nextDelay(
  policy: ResiliencyPolicy,
  retry: number,
  elapsedMs: number,
  random: () => number = Math.random,
): number | undefined {
  const maxRetries = policy.maxRetries ?? 3;
  if (maxRetries >= 0 && retry > maxRetries) return undefined;
  const exponential = policy.policy === 'exponential' || policy.exponential === true;
  if (!exponential) return policy.durationMs ?? policy.intervalMs ?? 50;
  if (elapsedMs >= (policy.maxElapsedMs ?? 15 * 60_000)) return undefined;
  const initial = policy.initialIntervalMs ?? policy.intervalMs ?? 500;
  const interval = Math.min(
    initial * (policy.multiplier ?? 1.5) ** (retry - 1),
    policy.maxIntervalMs ?? 60_000,
  );
  const spread = (policy.randomizationFactor ?? 0.5) * interval;
  return interval - spread + random() * 2 * spread;
}
