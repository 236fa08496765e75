/**
 * The output folder's confinement: manifests that would delete outside it, folders eventwire does not own,
 * symbolic links leading out. Each case asserts the refusal and that nothing outside was touched.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_NAME, manifestEntryProblem, readManifest, renderManifest } from './manifest.ts';
import { checkOutputFolder, OutputPaths } from './out-dir.ts';
import { OutputRefused } from './output-refused.ts';
import type { RenderedFile } from './render.ts';
import { planSync, syncOutput } from './sync.ts';

let work: string;
let out: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'eventwire-out-'));
  out = path.join(work, 'out');
  await mkdir(out);
  await writeFile(path.join(work, 'victim.txt'), 'precious\n');
});
afterEach(() => rm(work, { recursive: true, force: true }));

const generated = (p: string, contents = 'x\n'): RenderedFile => ({
  path: p,
  contents,
  ownership: 'generated',
  plugin: 'test',
});
const manifest = (files: unknown): Promise<void> =>
  writeFile(path.join(out, MANIFEST_NAME), JSON.stringify({ generator: 'eventwire', files }));
const refusal = async (promise: Promise<unknown>): Promise<OutputRefused> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutputRefused);
  return error as OutputRefused;
};

describe('manifest entries', () => {
  it.each([
    ['../victim.txt', 'climbs out'],
    ['a/../../victim.txt', 'climbs out'],
    ['/etc/passwd', 'absolute'],
    ['C:/Windows/win.ini', 'absolute'],
    ['a\\..\\b', 'backslash'],
    ['./a.ts', 'normalised'],
    ['a//b.ts', 'normalised'],
    ['', 'non-empty string'],
    ['a\u0000b', 'NUL'],
    [MANIFEST_NAME, 'manifest itself'],
  ])('refuses %j', (entry, why) => {
    expect(manifestEntryProblem(entry)).toContain(why);
  });

  it('accepts what eventwire writes', () => {
    for (const entry of ['shop/publisher.ts', 'docs/events/a.b.md', '_validators/X.0123456789.js'])
      expect(manifestEntryProblem(entry)).toBeUndefined();
  });

  it('refuses a whole manifest that lists ../victim.txt: nothing is deleted, the entry is named', async () => {
    await manifest(['a.ts', '../victim.txt']);
    const error = await refusal(syncOutput(out, [generated('b.ts')], { check: false }));
    expect(error.problem.pointer).toBe('/files/1');
    expect(error.problem.message).toContain('"../victim.txt"');
    expect(await readFile(path.join(work, 'victim.txt'), 'utf8')).toBe('precious\n');
    await expect(readFile(path.join(out, 'b.ts'))).rejects.toThrow();
  });

  it.each([
    ['not JSON', '{ nope'],
    ['another shape', JSON.stringify({ files: 'a.ts' })],
    ['another generator', JSON.stringify({ generator: 'other', files: [] })],
    ['an entry that is not a string', JSON.stringify({ generator: 'eventwire', files: [1] })],
  ])('refuses a manifest that is %s', async (_, text) => {
    await writeFile(path.join(out, MANIFEST_NAME), text);
    await refusal(readManifest(out));
  });

  it('reads no manifest as none', async () => {
    expect(await readManifest(out)).toBeUndefined();
    await writeFile(path.join(out, MANIFEST_NAME), renderManifest(['b.ts', 'a.ts']));
    expect(await readManifest(out)).toEqual(['a.ts', 'b.ts']);
  });

  it('does not delete through a folder that is a symbolic link leading out', async () => {
    await mkdir(path.join(work, 'elsewhere'));
    await writeFile(path.join(work, 'elsewhere/a.ts'), 'theirs\n');
    await symlink(path.join(work, 'elsewhere'), path.join(out, 'linked'));
    await manifest(['linked/a.ts']);
    await refusal(syncOutput(out, [], { check: false }));
    expect(await readFile(path.join(work, 'elsewhere/a.ts'), 'utf8')).toBe('theirs\n');
  });

  it('refuses to delete a folder the manifest names', async () => {
    await mkdir(path.join(out, 'docs'));
    await manifest(['docs']);
    await refusal(syncOutput(out, [], { check: false }));
  });
});

describe('paths written', () => {
  it('never writes through a symbolic link, nor reads one (it may point at /dev/zero)', async () => {
    await symlink(path.join(work, 'victim.txt'), path.join(out, 'a.ts'));
    await refusal(planSync(out, [generated('a.ts')]));
    await symlink('/dev/zero', path.join(out, 'b.ts'));
    await refusal(planSync(out, [generated('b.ts')]));
    expect(await readFile(path.join(work, 'victim.txt'), 'utf8')).toBe('precious\n');
  });

  it('accepts a folder reached through a link that stays inside', async () => {
    await mkdir(path.join(out, 'real'));
    await symlink('real', path.join(out, 'alias'));
    const paths = new OutputPaths(out);
    expect(await paths.target('alias/a.ts', 'write')).toBe(path.join(out, 'alias/a.ts'));
  });
});

describe('which folder may be the output', () => {
  const options = { shown: 'out', contracts: [] as string[], force: false, home: '/nonexistent-home' };

  it('refuses the filesystem root, the home folder and a repository root, even with --force', async () => {
    await refusal(checkOutputFolder('/', { ...options, force: true }));
    await refusal(checkOutputFolder(out, { ...options, home: out, force: true }));
    await mkdir(path.join(out, '.git'));
    expect((await refusal(checkOutputFolder(out, { ...options, force: true }))).problem.message).toContain(
      '.git',
    );
  });

  it('refuses a folder that holds the contracts', async () => {
    await mkdir(path.join(out, 'asyncapi'));
    const contracts = [path.join(out, 'asyncapi')];
    await refusal(checkOutputFolder(out, { ...options, contracts, force: true }));
    await refusal(checkOutputFolder(path.join(out, 'asyncapi'), { ...options, contracts }));
  });

  it('takes a new, empty or dot-files-only folder, or one with an eventwire manifest', async () => {
    await checkOutputFolder(path.join(out, 'new'), options);
    await writeFile(path.join(out, '.gitkeep'), '');
    await checkOutputFolder(out, options);
    await writeFile(path.join(out, 'a.ts'), 'x\n');
    await manifest(['a.ts']);
    await checkOutputFolder(out, options);
  });

  it('refuses a non-empty folder without a manifest unless forced', async () => {
    await mkdir(path.join(out, 'docs'));
    await writeFile(path.join(out, 'docs/index.md'), 'mine\n');
    const error = await refusal(checkOutputFolder(out, options));
    expect(error.problem.message).toContain('docs');
    expect(error.problem.hint).toContain('--force');
    await checkOutputFolder(out, { ...options, force: true });
  });

  it('refuses a file', async () => {
    await refusal(checkOutputFolder(path.join(work, 'victim.txt'), options));
  });
});
