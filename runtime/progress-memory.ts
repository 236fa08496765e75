/**
 * The progress tracker's contract in one process (tests, `eventwire test --brokers memory`): the same rules as
 * the Redis tracker, checked by the same table of tests (progress-contract.ts).
 */
import {
  checkTotal,
  type MarkResult,
  type Progress,
  ProgressNotFoundError,
  type ProgressStatus,
  type ProgressTracking,
  percentageOf,
} from './progress.ts';

interface Job {
  total: number | null;
  completed: number;
  failed: number;
  status: ProgressStatus;
  finishedBy: string | null;
  readonly items: Set<string>;
}

export class MemoryProgressTracker implements ProgressTracking {
  readonly #jobs = new Map<string, Job>();

  async init(id: string, total?: number): Promise<boolean> {
    if (total !== undefined) checkTotal(total);
    if (this.#jobs.has(id)) return false;
    const status = total === undefined ? 'pending' : total === 0 ? 'finished' : 'running';
    this.#jobs.set(id, {
      total: total ?? null,
      completed: 0,
      failed: 0,
      status,
      finishedBy: status === 'finished' ? '' : null,
      items: new Set(),
    });
    return true;
  }

  async setTotal(id: string, total: number): Promise<MarkResult> {
    checkTotal(total);
    const job = this.#job(id);
    if (job.status === 'finished') return result(job, 'already-finished', false);
    job.total = total;
    if (job.status === 'pending') job.status = 'running';
    return this.#finishCheck(job, '', false);
  }

  async markItemDone(id: string, item: string, isError = false): Promise<MarkResult> {
    if (item === '')
      throw new RangeError('item must be a non-empty id (the part of the job this delivery did)');
    const job = this.#job(id);
    if (job.status === 'finished') return result(job, 'already-finished', false);
    const counted = !job.items.has(item);
    if (counted) {
      job.items.add(item);
      if (isError) job.failed++;
      else job.completed++;
    }
    return this.#finishCheck(job, item, counted);
  }

  async get(id: string): Promise<Progress | null> {
    const job = this.#jobs.get(id);
    if (!job) return null;
    const processed = job.completed + job.failed;
    return {
      total: job.total,
      completed: job.completed,
      failed: job.failed,
      processed,
      percentage: percentageOf(processed, job.total),
      status: job.status,
    };
  }

  #job(id: string): Job {
    const job = this.#jobs.get(id);
    if (!job) throw new ProgressNotFoundError(id);
    return job;
  }

  #finishCheck(job: Job, item: string, counted: boolean): MarkResult {
    if (job.total !== null && job.completed + job.failed >= job.total) {
      job.status = 'finished';
      job.finishedBy = item;
      return result(job, 'finished', counted);
    }
    return result(job, 'running', counted);
  }
}

function result(job: Job, outcome: MarkResult['outcome'], counted: boolean): MarkResult {
  return {
    outcome,
    completed: job.completed,
    failed: job.failed,
    total: job.total,
    counted,
    finishedBy: job.finishedBy || null,
  };
}
