/**
 * Backoff maths for redeliveries. `attempt` is the delivery that just failed (1 = first delivery); the delay
 * returned is the wait before delivery `attempt + 1`. With maxRetries 3 an event is delivered at most 4 times.
 */
import type { Random } from './random.ts';
import type { RetrySpec } from './spec.ts';

export interface Jitter {
  /** 0..1: the delay is drawn from [delay * (1 - ratio), delay]. */
  readonly ratio: number;
  readonly random: Random;
}

export function shouldRetry(retry: RetrySpec, attempt: number): boolean {
  return attempt <= retry.maxRetries;
}

export function retryDelayMs(retry: RetrySpec, attempt: number, jitter?: Jitter): number {
  const base = baseDelay(retry, Math.max(1, attempt));
  if (!jitter || jitter.ratio <= 0) return base;
  const ratio = Math.min(1, jitter.ratio);
  // Jitter only shortens the delay, so the configured maximum stays a true maximum.
  return Math.round(base * (1 - ratio * jitter.random()));
}

type BackoffKind = RetrySpec['backoff'];

const BACKOFF: Record<BackoffKind, (retry: RetrySpec, attempt: number) => number> = {
  constant: (retry) => retry.initialIntervalMs,
  'fixed-delays': (retry, attempt) => {
    const delays = retry.delaysMs;
    // Past the end of the list the last delay repeats.
    return delays.length === 0 ? retry.initialIntervalMs : delays[Math.min(attempt, delays.length) - 1]!;
  },
  exponential: (retry, attempt) => {
    const raw = retry.initialIntervalMs * retry.multiplier ** (attempt - 1);
    return Math.round(retry.maxIntervalMs > 0 ? Math.min(raw, retry.maxIntervalMs) : raw);
  },
};

function baseDelay(retry: RetrySpec, attempt: number): number {
  return BACKOFF[retry.backoff](retry, attempt);
}
