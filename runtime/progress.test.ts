import { afterAll, describe, expect, it } from 'vitest';
import { ProgressNotFoundError, ProgressTracker } from './progress.ts';
import { deleteKeys, redisClient, uniqueName } from './test/support.ts';

const prefix = `${uniqueName('ew:progress')}:`;
const connections = Array.from({ length: 8 }, () => redisClient());
const trackers = connections.map((redis) => new ProgressTracker(redis, { prefix }));
afterAll(async () => {
  await deleteKeys(connections[0]!, prefix);
  for (const connection of connections) connection.disconnect();
});

describe('ProgressTracker (Redis hash + Lua finish line)', () => {
  it('1000 concurrent item completions over 8 connections: exactly one caller sees finished', async () => {
    const tracker = trackers[0]!;
    expect(await tracker.init('project-1')).toBe(true);
    await tracker.setTotal('project-1', 1000);
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => trackers[i % 8]!.markItemDone('project-1', i % 10 === 0)),
    );
    expect(results.filter((result) => result.outcome === 'finished')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'running')).toHaveLength(999);
    expect(await tracker.get('project-1')).toEqual({
      total: 1000,
      completed: 900,
      failed: 100,
      processed: 1000,
      percentage: 100,
      status: 'finished',
    });
    // Extra completions after the finish line never "finish" again.
    expect((await tracker.markItemDone('project-1')).outcome).toBe('already-finished');
  });

  it('finishes exactly once when workers complete before the total is known', async () => {
    const tracker = trackers[1]!;
    await tracker.init('project-2');
    expect((await tracker.get('project-2'))?.status).toBe('pending');
    const early = await Promise.all(
      Array.from({ length: 50 }, (_, i) => trackers[i % 8]!.markItemDone('project-2')),
    );
    expect(early.every((result) => result.outcome === 'running')).toBe(true);
    expect((await tracker.get('project-2'))?.percentage).toBe(0);
    const racing = await Promise.all([
      tracker.setTotal('project-2', 60),
      ...Array.from({ length: 10 }, (_, i) => trackers[i % 8]!.markItemDone('project-2')),
    ]);
    expect(racing.filter((result) => result.outcome === 'finished')).toHaveLength(1);
  });

  it('reports percentage with two decimals and running status', async () => {
    const tracker = trackers[2]!;
    await tracker.init('project-3', 3);
    await tracker.markItemDone('project-3');
    expect(await tracker.get('project-3')).toMatchObject({
      percentage: 33.33,
      status: 'running',
      total: 3,
      processed: 1,
    });
    expect(await tracker.init('project-3', 99)).toBe(false); // re-init never resets counters
    expect((await tracker.get('project-3'))?.total).toBe(3);
  });

  it('a zero-item project finishes when its total is set', async () => {
    const tracker = trackers[3]!;
    await tracker.init('project-4');
    expect((await tracker.setTotal('project-4', 0)).outcome).toBe('finished');
    expect((await tracker.get('project-4'))?.percentage).toBe(100);
  });

  it('refuses unknown records and bad totals with clear errors', async () => {
    await expect(trackers[0]!.markItemDone('nope')).rejects.toBeInstanceOf(ProgressNotFoundError);
    await expect(trackers[0]!.setTotal('nope', -1)).rejects.toThrow(/integer >= 0/);
    expect(await trackers[0]!.get('nope')).toBeNull();
  });

  it('sets a TTL on the record', async () => {
    const tracker = new ProgressTracker(connections[0]!, { prefix, ttlMs: 60_000 });
    await tracker.init('project-5', 1);
    expect(await connections[0]!.pttl(`${prefix}project-5`)).toBeGreaterThan(50_000);
  });
});
