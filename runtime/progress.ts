/**
 * Progress of a multi-item job (a project fanned out to many workers) on a Redis hash:
 * fields total (-1 until known), completed, failed, status (pending | running | finished), finished_by,
 * timestamps; and a set of the items already counted.
 *
 * Items are marked by id: marking an item adds it to the set, and only a new item moves a counter, so a worker
 * killed after marking its item but before its delivery was acknowledged does not count the item twice when the
 * delivery comes back. The increment and the finish-line check are ONE Lua script, so however many workers
 * finish at the same moment, exactly one mark crosses the finish line (and runs the completion step); setting the
 * total runs the same check, since workers may finish before the total is known. Once finished, a record is
 * frozen: later marks count nothing and a later total changes nothing.
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

/**
 * 'finished': this call crossed the finish line (exactly one call does). `counted` is false when the item had
 * been marked before (a redelivery) or the job had already finished; `finishedBy` names the item whose mark
 * crossed the finish line, so a redelivered finisher can tell it must still run the completion step.
 */
export interface MarkResult {
  readonly outcome: 'running' | 'finished' | 'already-finished';
  readonly completed: number;
  readonly failed: number;
  readonly total: number | null;
  readonly counted: boolean;
  readonly finishedBy: string | null;
}

export class ProgressNotFoundError extends Error {
  constructor(id: string) {
    super(`no progress record '${id}': call init() before marking items or setting the total`);
    this.name = 'ProgressNotFoundError';
  }
}

/** Totals are item counts: a safe integer >= 0. */
export function checkTotal(total: number): void {
  if (!Number.isSafeInteger(total) || total < 0)
    throw new RangeError(`total must be an integer >= 0, got ${total}`);
}

/** 0..100 with two decimals: 100 for an empty job, 0 while the total is unknown. */
export function percentageOf(processed: number, total: number | null): number {
  if (total === null) return 0;
  if (total === 0) return 100;
  return Math.min(100, Math.round((processed / total) * 10_000) / 100);
}

// Shared by MARK and SET_TOTAL: finish when every item is accounted for, exactly once. ARGV[3] names the item
// that crosses the line ('' when setting the total does).
const FINISH_CHECK = `
local completed = tonumber(redis.call('HGET', KEYS[1], 'completed'))
local failed = tonumber(redis.call('HGET', KEYS[1], 'failed'))
local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
local outcome = 'running'
if total >= 0 and completed + failed >= total then
  redis.call('HSET', KEYS[1], 'status', 'finished', 'finished_at', ARGV[1], 'finished_by', ARGV[3])
  outcome = 'finished'
end
redis.call('HSET', KEYS[1], 'updated_at', ARGV[1])
if tonumber(ARGV[2]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
return {outcome, completed, failed, total, counted, redis.call('HGET', KEYS[1], 'finished_by') or false}
`;

// A finished record answers without changing anything.
const FROZEN = `
if redis.call('HGET', KEYS[1], 'status') == 'finished' then
  return {'already-finished', tonumber(redis.call('HGET', KEYS[1], 'completed')),
    tonumber(redis.call('HGET', KEYS[1], 'failed')), tonumber(redis.call('HGET', KEYS[1], 'total')), 0,
    redis.call('HGET', KEYS[1], 'finished_by') or false}
end`;

const INIT = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'total', ARGV[3], 'completed', 0, 'failed', 0, 'status', ARGV[4],
  'created_at', ARGV[1], 'updated_at', ARGV[1])
if ARGV[4] == 'finished' then redis.call('HSET', KEYS[1], 'finished_at', ARGV[1], 'finished_by', '') end
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`);

// ARGV: now, ttl, item, field (completed | failed)
const MARK = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
${FROZEN}
local counted = redis.call('SADD', KEYS[2], ARGV[3])
if counted == 1 then redis.call('HINCRBY', KEYS[1], ARGV[4], 1) end
${FINISH_CHECK}`);

// ARGV: now, ttl, '' (no item), total
const SET_TOTAL = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
${FROZEN}
local counted = 0
redis.call('HSET', KEYS[1], 'total', ARGV[4])
if redis.call('HGET', KEYS[1], 'status') == 'pending' then redis.call('HSET', KEYS[1], 'status', 'running') end
${FINISH_CHECK}`);

export interface ProgressOptions {
  /** Key prefix (default `eventwire:progress:`). On Redis Cluster, give it a {hash tag}. */
  readonly prefix?: string;
  /** Expire records this long after their last update (default 7 days; 0 = never). */
  readonly ttlMs?: number;
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

export class ProgressTracker implements ProgressTracking {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;

  constructor(redis: Redis, options: ProgressOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'eventwire:progress:';
    this.#ttlMs = options.ttlMs ?? 7 * 24 * 60 * 60 * 1000;
  }

  /**
   * Create the record; false (and nothing changed) when it already exists. A total of 0 is finished at once
   * (nothing to wait for); a total that is not an integer >= 0 is refused, as by setTotal.
   */
  async init(id: string, total?: number): Promise<boolean> {
    if (total !== undefined) checkTotal(total);
    const status = total === undefined ? 'pending' : total === 0 ? 'finished' : 'running';
    const args = [new Date().toISOString(), this.#ttlMs, total ?? -1, status];
    return (await INIT.run(this.#redis, [this.#key(id)], args)) === 1;
  }

  /** Set (or correct) the total while the job runs; a finished job keeps its total ('already-finished'). */
  async setTotal(id: string, total: number): Promise<MarkResult> {
    checkTotal(total);
    return this.#finishing(
      id,
      await SET_TOTAL.run(this.#redis, this.#keys(id), this.#args('', String(total))),
    );
  }

  /** Count `item` as done (or failed) once, whatever the redeliveries; see MarkResult. */
  async markItemDone(id: string, item: string, isError = false): Promise<MarkResult> {
    if (item === '')
      throw new RangeError('item must be a non-empty id (the part of the job this delivery did)');
    const field = isError ? 'failed' : 'completed';
    return this.#finishing(id, await MARK.run(this.#redis, this.#keys(id), this.#args(item, field)));
  }

  async get(id: string): Promise<Progress | null> {
    const fields = await this.#redis.hgetall(this.#key(id));
    if (fields.status === undefined) return null;
    const total = Number(fields.total) >= 0 ? Number(fields.total) : null;
    const completed = Number(fields.completed);
    const failed = Number(fields.failed);
    const processed = completed + failed;
    const status = fields.status as ProgressStatus;
    return { total, completed, failed, processed, percentage: percentageOf(processed, total), status };
  }

  #key(id: string): string {
    return this.#prefix + id;
  }

  #keys(id: string): string[] {
    return [this.#key(id), `${this.#key(id)}:items`];
  }

  #args(item: string, fourth: string): string[] {
    return [new Date().toISOString(), String(this.#ttlMs), item, fourth];
  }

  #finishing(id: string, reply: unknown): MarkResult {
    if (!Array.isArray(reply)) throw new ProgressNotFoundError(id);
    const [outcome, completed, failed, total, counted, finishedBy] = reply as [
      MarkResult['outcome'],
      number,
      number,
      number,
      number,
      string | null,
    ];
    return {
      outcome,
      completed,
      failed,
      total: total >= 0 ? total : null,
      counted: counted === 1,
      finishedBy: finishedBy || null,
    };
  }
}
