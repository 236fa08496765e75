import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planSync } from '../generators/pipeline/sync.ts';
import { settled, unwrap, writeEarly } from './speculative.ts';

let out: string;
beforeEach(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'eventwire-speculative-'));
});
afterEach(() => rm(out, { recursive: true, force: true }));

const plan = () =>
  planSync(out, [{ path: 'a.ts', contents: 'new\n', ownership: 'generated', plugin: 'test' }]);
const pending = new Promise<never>(() => {});

describe('writing the speculative output early', () => {
  it('writes while the verdict is still to come, and can take it back', async () => {
    const early = await writeEarly(settled(plan()), pending);
    expect(await readFile(path.join(out, 'a.ts'), 'utf8')).toBe('new\n');
    await early?.undo.restore();
    await expect(readFile(path.join(out, 'a.ts'), 'utf8')).rejects.toThrow();
  });

  it('writes nothing when the verdict is already in, or when rendering failed', async () => {
    expect(await writeEarly(settled(plan()), Promise.resolve('valid'))).toBeUndefined();
    // Refused while the output still renders: watched from the start, never an unhandled rejection.
    const slowPlan = new Promise<Awaited<ReturnType<typeof plan>>>((resolve) => {
      setTimeout(() => resolve(plan()), 50);
    });
    expect(await writeEarly(settled(slowPlan), Promise.reject(new Error('refused')))).toBeUndefined();
    expect(await writeEarly(settled(Promise.reject(new Error('render bug'))), pending)).toBeUndefined();
    await expect(readFile(path.join(out, 'a.ts'), 'utf8')).rejects.toThrow();
  });

  it('keeps a rendering error until the output is asked for', async () => {
    const failed = settled(Promise.reject(new Error('render bug')));
    await expect(failed.then(unwrap)).rejects.toThrow('render bug');
  });
});
