import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.ts';
import { retryDelayMs, shouldRetry } from './retry.ts';
import type { RetrySpec } from './spec.ts';

const base: RetrySpec = {
  maxRetries: 3,
  backoff: 'exponential',
  initialIntervalMs: 1000,
  maxIntervalMs: 60_000,
  multiplier: 2,
  delaysMs: [],
};

describe('retry backoff', () => {
  it('exponential: 1s, 2s, 4s for the platform policy, capped at maxInterval', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs(base, attempt))).toEqual([1000, 2000, 4000]);
    expect(retryDelayMs({ ...base, maxIntervalMs: 3000 }, 3)).toBe(3000);
    expect(retryDelayMs({ ...base, multiplier: 1.5, initialIntervalMs: 100 }, 3)).toBe(225);
  });

  it('constant and fixed-delays (last delay repeats)', () => {
    expect(retryDelayMs({ ...base, backoff: 'constant' }, 5)).toBe(1000);
    const fixed = { ...base, backoff: 'fixed-delays' as const, delaysMs: [100, 500, 2500] };
    expect([1, 2, 3, 4, 9].map((attempt) => retryDelayMs(fixed, attempt))).toEqual([
      100, 500, 2500, 2500, 2500,
    ]);
  });

  it('maxRetries 3 means at most 4 deliveries', () => {
    expect([1, 2, 3, 4].map((attempt) => shouldRetry(base, attempt))).toEqual([true, true, true, false]);
    expect(shouldRetry({ ...base, maxRetries: 0 }, 1)).toBe(false);
  });

  it('jitter only shortens, stays within the ratio, and is deterministic for a seed', () => {
    const draw = (seed: number) => {
      const jitter = { ratio: 0.5, random: seededRandom(seed) };
      return Array.from({ length: 50 }, () => retryDelayMs(base, 3, jitter));
    };
    const delays = draw(7);
    for (const delay of delays) expect(delay >= 2000 && delay <= 4000).toBe(true);
    expect(new Set(delays).size).toBeGreaterThan(10);
    expect(draw(7)).toEqual(delays);
    expect(draw(8)).not.toEqual(delays);
  });
});
