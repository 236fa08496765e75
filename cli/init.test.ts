/**
 * `eventwire init` as a real process: the scaffold generates and checks clean as it is, a second init refuses to
 * overwrite anything, and an existing package.json keeps its own scripts and gains the missing ones.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO as repo, runCli } from './test-process.ts';

let work: string;

beforeAll(async () => {
  await mkdir(join(repo, '.tmp'), { recursive: true });
  work = await mkdtemp(join(repo, '.tmp/init-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('eventwire init', () => {
  it('scaffolds a project whose contract checks and generates clean, with the npm scripts', async () => {
    const project = join(work, 'fresh');
    const init = await runCli(['init', 'fresh'], work);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('created fresh/asyncapi/hello.yaml');
    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
    expect(manifest.scripts).toEqual({
      generate: 'eventwire generate',
      test: 'eventwire check && eventwire generate --check',
    });
    expect(await runCli(['check'], project)).toMatchObject({ code: 0 });
    const generated = await runCli(['generate'], project);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    const handlers = await readFile(join(project, 'generated/hello/handlers.ts'), 'utf8');
    expect(handlers).toContain('export function createHandlers(');
    expect(await runCli(['generate', '--check'], project)).toMatchObject({ code: 0 });
  });

  it('refuses to overwrite existing files and writes nothing', async () => {
    const project = join(work, 'existing');
    await mkdir(join(project, 'asyncapi'), { recursive: true });
    await writeFile(join(project, 'asyncapi/hello.yaml'), 'mine\n');
    const again = await runCli(['init'], project);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('asyncapi/hello.yaml already exists; nothing was written');
    expect(await readFile(join(project, 'asyncapi/hello.yaml'), 'utf8')).toBe('mine\n');
    await expect(readFile(join(project, 'package.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('adds only the missing scripts to an existing package.json', async () => {
    const project = join(work, 'scripts');
    await mkdir(project, { recursive: true });
    const own = { name: 'svc', scripts: { test: 'vitest run' }, dependencies: { pg: '^8' } };
    await writeFile(join(project, 'package.json'), `${JSON.stringify(own, null, 2)}\n`);
    const init = await runCli(['init'], project);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('already has a "test" script');
    expect(init.stdout).toContain('added npm scripts to package.json');
    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
    expect(manifest).toEqual({
      ...own,
      scripts: { test: 'vitest run', generate: 'eventwire generate' },
    });
  });
});
