import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.ts';

describe('createBatcher', () => {
  it('sends the calls of one tick as one batch, in call order, and gives each caller its own result', async () => {
    const batches: number[][] = [];
    const double = createBatcher<number, number>(async (items) => {
      batches.push([...items]);
      return items.map((n) => n * 2);
    }).add;
    const first = await Promise.all([1, 2, 3].map(double));
    const second = await Promise.all([4, 5].map(double));
    expect(first).toEqual([2, 4, 6]);
    expect(second).toEqual([8, 10]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('flushes at once when a batch is full', async () => {
    const batches: number[][] = [];
    const echo = createBatcher<number, number>(
      async (items) => {
        batches.push([...items]);
        return items;
      },
      { maxBatch: 2 },
    ).add;
    expect(await Promise.all([1, 2, 3, 4, 5].map(echo))).toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('fails every caller of a batch whose flush fails, and the next batch is unaffected', async () => {
    let fail = true;
    const flaky = createBatcher<number, number>(async (items) => {
      if (fail) throw new Error('connection lost');
      return items;
    }).add;
    const failed = await Promise.allSettled([1, 2].map(flaky));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await flaky(3)).toBe(3);
  });

  it('fails the callers when the flush answers a different number of results', async () => {
    const short = createBatcher<number, number>(async () => [1]).add;
    await expect(Promise.all([1, 2].map(short))).rejects.toThrow(/batch of 2 answered with 1 results/);
  });
});
