/**
 * Progress of a multi-item job (a project fanned out to many workers) on a Redis hash:
 * fields total (-1 until known), completed, failed, status (pending | running | finished), timestamps.
 *
 * Marking an item done increments a counter and checks the finish line in ONE Lua script, so however many
 * workers finish at the same moment, exactly one of them is told 'finished' (and runs the completion step);
 * setting the total runs the same check, since workers may finish before the total is known.
 */
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.ts';

export type ProgressStatus = 'pending' | 'running' | 'finished';

export interface Progress {
  readonly total: number | null;
  readonly completed: number;
  readonly failed: number;
  readonly processed: number;
  /** 0..100 with two decimals; 0 while the total is unknown. */
  readonly percentage: number;
  readonly status: ProgressStatus;
}

/** 'finished': this call crossed the finish line (exactly one call does). */
export interface MarkResult {
  readonly outcome: 'running' | 'finished' | 'already-finished';
  readonly completed: number;
  readonly failed: number;
  readonly total: number | null;
}

/**
 * The tracker's contract, kept by the Redis tracker and the in-memory one (tests, `eventwire test --brokers
 * memory`): items are marked by id, so an item counts once however often its delivery is redelivered, and the
 * finish line is crossed by exactly one mark.
 */
export interface ProgressTracking {
  init(id: string, total?: number): Promise<boolean>;
  setTotal(id: string, total: number): Promise<MarkResult>;
  markItemDone(id: string, item: string, isError?: boolean): Promise<MarkResult>;
  get(id: string): Promise<Progress | null>;
}

export class ProgressNotFoundError extends Error {
  constructor(id: string) {
    super(`no progress record '${id}': call init() before marking items or setting the total`);
    this.name = 'ProgressNotFoundError';
  }
}

// Shared by MARK and SET_TOTAL: finish when every item is accounted for, exactly once.
const FINISH_CHECK = `
local completed = tonumber(redis.call('HGET', KEYS[1], 'completed'))
local failed = tonumber(redis.call('HGET', KEYS[1], 'failed'))
local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
local outcome = 'running'
if redis.call('HGET', KEYS[1], 'status') == 'finished' then
  outcome = 'already-finished'
elseif total >= 0 and completed + failed >= total then
  redis.call('HSET', KEYS[1], 'status', 'finished', 'finished_at', ARGV[1])
  outcome = 'finished'
end
redis.call('HSET', KEYS[1], 'updated_at', ARGV[1])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {outcome, completed, failed, total}
`;

const INIT = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'total', ARGV[3], 'completed', 0, 'failed', 0, 'status', ARGV[4],
  'created_at', ARGV[1], 'updated_at', ARGV[1])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`);

const MARK = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
${FINISH_CHECK}`);

const SET_TOTAL = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], 'total', ARGV[3])
if redis.call('HGET', KEYS[1], 'status') == 'pending' then redis.call('HSET', KEYS[1], 'status', 'running') end
${FINISH_CHECK}`);

export interface ProgressOptions {
  /** Key prefix (default `eventwire:progress:`). */
  readonly prefix?: string;
  /** Expire records this long after their last update (default 7 days; 0 = never). */
  readonly ttlMs?: number;
}

export class ProgressTracker {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;

  constructor(redis: Redis, options: ProgressOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'eventwire:progress:';
    this.#ttlMs = options.ttlMs ?? 7 * 24 * 60 * 60 * 1000;
  }

  /** Create the record; false (and nothing changed) when it already exists. */
  async init(id: string, total?: number): Promise<boolean> {
    const status = total === undefined ? 'pending' : 'running';
    const args = [new Date().toISOString(), this.#ttlMs, total ?? -1, status];
    return (await INIT.run(this.#redis, [this.#prefix + id], args)) === 1;
  }

  async setTotal(id: string, total: number): Promise<MarkResult> {
    if (!Number.isSafeInteger(total) || total < 0)
      throw new RangeError(`total must be an integer >= 0, got ${total}`);
    return this.#finishing(
      id,
      await SET_TOTAL.run(this.#redis, [this.#prefix + id], this.#args(String(total))),
    );
  }

  async markItemDone(id: string, isError = false): Promise<MarkResult> {
    const field = isError ? 'failed' : 'completed';
    return this.#finishing(id, await MARK.run(this.#redis, [this.#prefix + id], this.#args(field)));
  }

  async get(id: string): Promise<Progress | null> {
    const fields = await this.#redis.hgetall(this.#prefix + id);
    if (fields.status === undefined) return null;
    const total = Number(fields.total);
    const completed = Number(fields.completed);
    const failed = Number(fields.failed);
    const processed = completed + failed;
    const known = total >= 0;
    const percentage = !known
      ? 0
      : total === 0
        ? 100
        : Math.min(100, Math.round((processed / total) * 10_000) / 100);
    return {
      total: known ? total : null,
      completed,
      failed,
      processed,
      percentage,
      status: fields.status as ProgressStatus,
    };
  }

  #args(third: string): string[] {
    return [new Date().toISOString(), String(this.#ttlMs), third];
  }

  #finishing(id: string, reply: unknown): MarkResult {
    if (!Array.isArray(reply)) throw new ProgressNotFoundError(id);
    const [outcome, completed, failed, total] = reply as [MarkResult['outcome'], number, number, number];
    return { outcome, completed, failed, total: total >= 0 ? total : null };
  }
}
