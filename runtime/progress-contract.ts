/**
 * The behaviour every ProgressTracking implementation must have (seed 002 §1.2: atomic finish line), run against
 * the Redis tracker and the in-memory one. `trackers(n)` returns n trackers over the same records, standing for
 * n worker processes.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProgressTracking } from './progress.ts';
import { ProgressNotFoundError } from './progress.ts';

export interface ProgressHarness {
  trackers(count: number): ProgressTracking[];
}

export function progressContract(name: string, harness: () => ProgressHarness): void {
  describe(`${name}: progress tracker contract`, () => {
    const job = () => `project-${randomUUID()}`;

    it('1000 concurrent item completions over 8 workers: exactly one caller sees finished', async () => {
      const trackers = harness().trackers(8);
      const tracker = trackers[0]!;
      const id = job();
      expect(await tracker.init(id)).toBe(true);
      await tracker.setTotal(id, 1000);
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => trackers[i % 8]!.markItemDone(id, `item-${i}`, i % 10 === 0)),
      );
      expect(results.filter((result) => result.outcome === 'finished')).toHaveLength(1);
      expect(results.filter((result) => result.outcome === 'running')).toHaveLength(999);
      expect(await tracker.get(id)).toEqual({
        total: 1000,
        completed: 900,
        failed: 100,
        processed: 1000,
        percentage: 100,
        status: 'finished',
      });
    });

    it('a redelivered part counts once: a 3-part job finishes on its third distinct part, never at 4/3', async () => {
      const [tracker] = harness().trackers(1);
      const id = job();
      await tracker!.init(id, 3);
      expect(await tracker!.markItemDone(id, 'part-1')).toMatchObject({ outcome: 'running', counted: true });
      // The worker was killed after marking part-1, before its delivery was acknowledged: part-1 comes back.
      expect(await tracker!.markItemDone(id, 'part-1')).toMatchObject({
        outcome: 'running',
        completed: 1,
        counted: false,
      });
      expect(await tracker!.markItemDone(id, 'part-2')).toMatchObject({ outcome: 'running', completed: 2 });
      expect(await tracker!.markItemDone(id, 'part-3')).toEqual({
        outcome: 'finished',
        completed: 3,
        failed: 0,
        total: 3,
        counted: true,
        finishedBy: 'part-3',
      });
      // The finisher's own redelivery learns that it crossed the line, and nothing is counted again.
      expect(await tracker!.markItemDone(id, 'part-3')).toEqual({
        outcome: 'already-finished',
        completed: 3,
        failed: 0,
        total: 3,
        counted: false,
        finishedBy: 'part-3',
      });
      expect((await tracker!.get(id))?.processed).toBe(3);
    });

    it('counts nothing after the finish line (never 29 of 5) and keeps the total it finished with', async () => {
      const [tracker] = harness().trackers(1);
      const id = job();
      await tracker!.init(id, 5);
      for (let i = 1; i <= 5; i++) await tracker!.markItemDone(id, `p${i}`);
      for (let i = 6; i <= 29; i++) {
        expect(await tracker!.markItemDone(id, `p${i}`)).toMatchObject({
          outcome: 'already-finished',
          counted: false,
          completed: 5,
        });
      }
      expect(await tracker!.setTotal(id, 40)).toMatchObject({ outcome: 'already-finished', total: 5 });
      expect(await tracker!.get(id)).toMatchObject({
        total: 5,
        completed: 5,
        percentage: 100,
        status: 'finished',
      });
    });

    it('finishes exactly once when workers complete before the total is known', async () => {
      const trackers = harness().trackers(8);
      const tracker = trackers[0]!;
      const id = job();
      await tracker.init(id);
      expect((await tracker.get(id))?.status).toBe('pending');
      const early = await Promise.all(
        Array.from({ length: 50 }, (_, i) => trackers[i % 8]!.markItemDone(id, `early-${i}`)),
      );
      expect(early.every((result) => result.outcome === 'running')).toBe(true);
      expect((await tracker.get(id))?.percentage).toBe(0);
      const racing = await Promise.all([
        tracker.setTotal(id, 60),
        ...Array.from({ length: 10 }, (_, i) => trackers[i % 8]!.markItemDone(id, `late-${i}`)),
      ]);
      expect(racing.filter((result) => result.outcome === 'finished')).toHaveLength(1);
    });

    it('reports percentage with two decimals and running status; init never resets a record', async () => {
      const [tracker] = harness().trackers(1);
      const id = job();
      await tracker!.init(id, 3);
      await tracker!.markItemDone(id, 'a');
      expect(await tracker!.get(id)).toMatchObject({
        percentage: 33.33,
        status: 'running',
        total: 3,
        processed: 1,
      });
      expect(await tracker!.init(id, 99)).toBe(false);
      expect((await tracker!.get(id))?.total).toBe(3);
    });

    it('a zero-item job is finished: at init(id, 0), or when its total is set to 0', async () => {
      const [tracker] = harness().trackers(1);
      const atInit = job();
      await tracker!.init(atInit, 0);
      expect(await tracker!.get(atInit)).toMatchObject({ status: 'finished', percentage: 100, total: 0 });
      const later = job();
      await tracker!.init(later);
      expect((await tracker!.setTotal(later, 0)).outcome).toBe('finished');
      expect((await tracker!.get(later))?.percentage).toBe(100);
    });

    it('refuses totals that are not item counts, at init as at setTotal, and creates nothing', async () => {
      const [tracker] = harness().trackers(1);
      for (const total of [2.5, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        const id = job();
        await expect(tracker!.init(id, total)).rejects.toThrow(/integer >= 0/);
        expect(await tracker!.get(id)).toBeNull();
        await tracker!.init(id);
        await expect(tracker!.setTotal(id, total)).rejects.toThrow(/integer >= 0/);
      }
    });

    it('refuses unknown records and empty item ids with clear errors', async () => {
      const [tracker] = harness().trackers(1);
      await expect(tracker!.markItemDone('nope', 'a')).rejects.toBeInstanceOf(ProgressNotFoundError);
      await expect(tracker!.setTotal('nope', 1)).rejects.toBeInstanceOf(ProgressNotFoundError);
      expect(await tracker!.get('nope')).toBeNull();
      const id = job();
      await tracker!.init(id, 1);
      await expect(tracker!.markItemDone(id, '')).rejects.toThrow(/non-empty id/);
    });
  });
}
