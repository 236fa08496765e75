/**
 * Turns a RetrySpec into per-attempt delay queues. RabbitMQ expires messages only at the head of a queue, so one
 * queue per distinct delay keeps a short delay from waiting behind a long one. Consecutive retries with the same
 * delay share a level: `[1s, 2s, 4s, 4s, 4s]` needs three queues, not five.
 */
import type { RetrySpec } from '../../spec.ts';
import { retryQueueName } from './names.ts';

export interface RetryLevel {
  /** 1-based level, the suffix of the delay queue's name. */
  readonly level: number;
  readonly delayMs: number;
  readonly queue: string;
}

/** The delay before retry 1..maxRetries: the contract's explicit delays, else the computed backoff. */
export function retryDelays(retry: RetrySpec): number[] {
  const delays: number[] = [];
  for (let retryNumber = 1; retryNumber <= retry.maxRetries; retryNumber++) {
    delays.push(Math.max(0, Math.round(delayForRetry(retry, retryNumber))));
  }
  return delays;
}

function delayForRetry(retry: RetrySpec, retryNumber: number): number {
  if (retry.delaysMs.length > 0) {
    // Past the end of the list the last delay repeats (`delays: [1s, 5s]` with maxRetries 4 -> 1s, 5s, 5s, 5s).
    return retry.delaysMs[Math.min(retryNumber, retry.delaysMs.length) - 1]!;
  }
  if (retry.backoff === 'exponential') {
    return Math.min(retry.initialIntervalMs * retry.multiplier ** (retryNumber - 1), retry.maxIntervalMs);
  }
  return retry.initialIntervalMs;
}

/** One level per run of equal consecutive delays. */
export function retryLevels(queue: string, retry: RetrySpec): RetryLevel[] {
  const levels: RetryLevel[] = [];
  for (const delayMs of retryDelays(retry)) {
    if (levels.at(-1)?.delayMs === delayMs) continue;
    const level = levels.length + 1;
    levels.push({ level, delayMs, queue: retryQueueName(queue, level) });
  }
  return levels;
}

/** The level retry `retryNumber` (1-based) goes through according to the spec. */
export function levelForRetry(
  retry: RetrySpec,
  levels: readonly RetryLevel[],
  retryNumber: number,
): RetryLevel {
  const delays = retryDelays(retry);
  const index = Math.min(Math.max(retryNumber, 1), delays.length) - 1;
  const wanted = delays[index];
  let levelIndex = 0;
  for (let i = 1; i <= index; i++) if (delays[i] !== delays[i - 1]) levelIndex++;
  const level = levels[levelIndex];
  if (level === undefined || level.delayMs !== wanted)
    throw new Error(`no retry level for retry ${retryNumber}`);
  return level;
}

/**
 * The delay queue for a retry outcome. The pipeline decides the delay; the spec's level for this retry is used
 * when its delay matches, otherwise the level with the nearest delay (queues have fixed TTLs).
 */
export function chooseRetryLevel(
  retry: RetrySpec,
  levels: readonly RetryLevel[],
  retryNumber: number,
  delayMs: number,
): RetryLevel | undefined {
  if (levels.length === 0) return undefined;
  const planned = levelForRetry(retry, levels, retryNumber);
  if (planned.delayMs === delayMs) return planned;
  let best = levels[0]!;
  for (const level of levels) {
    if (Math.abs(level.delayMs - delayMs) < Math.abs(best.delayMs - delayMs)) best = level;
  }
  return best;
}
