/** How many file-system round trips a first run's sync takes: each one waits on the thread pool. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RenderedFile } from './render.ts';
import { applySync, planSync } from './sync.ts';

const calls = vi.hoisted(() => ({ mkdir: [] as string[], lstat: [] as string[], stat: [] as string[] }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    mkdir: (folder: string, options?: Parameters<typeof actual.mkdir>[1]) => {
      calls.mkdir.push(folder);
      return actual.mkdir(folder, options);
    },
    stat: (file: string) => {
      calls.stat.push(file);
      return actual.stat(file);
    },
    lstat: (file: string) => {
      calls.lstat.push(file);
      return actual.lstat(file);
    },
  };
});

const file = (p: string, contents: string): RenderedFile => ({
  path: p,
  contents,
  ownership: 'generated',
  plugin: 'test',
});

let out: string;
beforeEach(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'eventwire-sync-io-'));
  calls.mkdir.length = 0;
  calls.lstat.length = 0;
  calls.stat.length = 0;
});
afterEach(() => rm(out, { recursive: true, force: true }));

describe('a first sync into an empty output folder', () => {
  const files = [file('a/x.ts', 'x\n'), file('a/y.ts', 'y\n'), file('a/z.ts', 'z\n'), file('b/w.ts', 'w\n')];

  it('looks for each output file once: the path check that found it missing', async () => {
    const plan = await planSync(out, files);
    expect(plan.report.missing).toEqual(['a/x.ts', 'a/y.ts', 'a/z.ts', 'b/w.ts']);
    expect(calls.lstat.filter((looked) => looked.endsWith('.ts')).sort()).toEqual(
      files.map((f) => path.join(out, f.path)),
    );
  });

  it('makes each folder once, however many files go in it', async () => {
    await applySync(await planSync(out, files));
    expect(calls.mkdir.sort()).toEqual([path.join(out, 'a'), path.join(out, 'b')]);
    expect(await readFile(path.join(out, 'a/z.ts'), 'utf8')).toBe('z\n');
  });

  it('still reads a file that is there, to write only what changes, looking at it once', async () => {
    await applySync(await planSync(out, [file('a/x.ts', 'old\n')]));
    calls.lstat.length = 0;
    const plan = await planSync(out, [file('a/x.ts', 'new\n')]);
    expect(calls.lstat.filter((looked) => looked.endsWith('.ts'))).toEqual([path.join(out, 'a/x.ts')]);
    expect(plan.report.changed).toEqual(['a/x.ts']);
    expect(plan.report.missing).toEqual([]);
  });

  it('stats no written file when no later run in the process will compare with it', async () => {
    await applySync(await planSync(out, files), { remember: false });
    expect(calls.stat).toEqual([]);
    expect(await readFile(path.join(out, 'b/w.ts'), 'utf8')).toBe('w\n');
  });

  it('remembers each written file by its stat for the next run of a watch session', async () => {
    await applySync(await planSync(out, files));
    expect(calls.stat.sort()).toEqual(files.map((f) => path.join(out, f.path)));
  });
});
