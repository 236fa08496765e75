import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RenderedFile } from './render.ts';
import { MANIFEST_NAME, renderManifest } from './manifest.ts';
import { applySync, planSync, syncOutput } from './sync.ts';

const file = (p: string, contents: string): RenderedFile => ({
  path: p,
  contents,
  ownership: 'generated',
  plugin: 'test',
});

let out: string;
beforeEach(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'eventwire-sync-'));
});
afterEach(() => rm(out, { recursive: true, force: true }));

describe('syncing the output folder', () => {
  it('plans without writing, then applies the plan', async () => {
    const plan = await planSync(out, [file('a/x.ts', 'one\n')]);
    expect(plan.report.missing).toEqual(['a/x.ts']);
    await expect(readFile(path.join(out, 'a/x.ts'), 'utf8')).rejects.toThrow();
    await applySync(plan);
    expect(await readFile(path.join(out, 'a/x.ts'), 'utf8')).toBe('one\n');
  });

  it('sees a file edited behind its back after it wrote it, and restores it', async () => {
    const files = [file('x.ts', 'generated\n')];
    await syncOutput(out, files, { check: false });
    expect((await syncOutput(out, files, { check: false })).unchanged).toEqual(['x.ts']);
    await writeFile(path.join(out, 'x.ts'), 'edited by hand, same size?\n');
    const report = await syncOutput(out, files, { check: false });
    expect(report.changed).toEqual(['x.ts']);
    expect(await readFile(path.join(out, 'x.ts'), 'utf8')).toBe('generated\n');
  });

  it('never reads or writes an existing scaffold', async () => {
    await writeFile(path.join(out, 'handlers.ts'), 'mine\n');
    const scaffold: RenderedFile = { ...file('handlers.ts', 'template\n'), ownership: 'scaffold' };
    const report = await syncOutput(out, [scaffold], { check: false });
    expect(report.scaffolded).toEqual([]);
    expect(await readFile(path.join(out, 'handlers.ts'), 'utf8')).toBe('mine\n');
  });

  it('undoes an applied plan: changed files get their old bytes, new files go, removed files come back', async () => {
    const before = [
      file('kept.ts', 'old\n'),
      file('gone.ts', 'orphan\n'),
      manifestOf(['kept.ts', 'gone.ts']),
    ];
    await syncOutput(out, before, { check: false });
    const plan = await planSync(out, [
      file('kept.ts', 'new\n'),
      file('added.ts', 'added\n'),
      manifestOf(['kept.ts', 'added.ts']),
      { ...file('handlers.ts', 'template\n'), ownership: 'scaffold' },
    ]);
    const undo = await applySync(plan);
    expect(await readFile(path.join(out, 'kept.ts'), 'utf8')).toBe('new\n');
    await expect(readFile(path.join(out, 'gone.ts'), 'utf8')).rejects.toThrow();
    await undo.restore();
    expect(await readFile(path.join(out, 'kept.ts'), 'utf8')).toBe('old\n');
    expect(await readFile(path.join(out, 'gone.ts'), 'utf8')).toBe('orphan\n');
    await expect(readFile(path.join(out, 'added.ts'), 'utf8')).rejects.toThrow();
    await expect(readFile(path.join(out, 'handlers.ts'), 'utf8')).rejects.toThrow();
    // And what a later run finds is the old state: nothing to write for the old files.
    expect((await planSync(out, before)).report.changed).toEqual([]);
  });

  it('leaves a file alone on undo when it changed again after the plan wrote it', async () => {
    const scaffold: RenderedFile = { ...file('handlers.ts', 'template\n'), ownership: 'scaffold' };
    const undo = await applySync(await planSync(out, [scaffold]));
    await writeFile(path.join(out, 'handlers.ts'), 'the user already started\n');
    await undo.restore();
    expect(await readFile(path.join(out, 'handlers.ts'), 'utf8')).toBe('the user already started\n');
  });
});

function manifestOf(paths: readonly string[]): RenderedFile {
  return file(MANIFEST_NAME, renderManifest(paths));
}
