/**
 * The bundled CLI (package/bundle.ts), as the package ships it, against the source CLI: the same files, byte for
 * byte, from `generate` over this repository's contracts; the same `check` report; the worker threads and assets
 * the bundle finds beside tsc's output (parser validation runs on a worker, from dist/). Built into a folder of
 * its own, so it never races pack-install.test.ts over dist/.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../cli/test-process.ts';
import { build } from './build.ts';
import { BUNDLE_ENTRY, BUNDLE_FOLDER } from './bundle.ts';

const run = promisify(execFile);
let work: string;
let dist: string;

/** The bundled CLI as an installed package runs it: no `eventwire-source` condition, empty caches. */
async function bundled(args: readonly string[], env: Record<string, string> = {}) {
  const { NODE_OPTIONS: _condition, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(
      join(REPO, 'node_modules/.bin/node'),
      [join(dist, BUNDLE_FOLDER, BUNDLE_ENTRY), ...args],
      {
        cwd: REPO,
        env: {
          ...inherited,
          NO_COLOR: '1',
          EVENTWIRE_CACHE_DIR: await mkdtemp(join(work, 'cache-')),
          ...env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every file under `folder`, path to content. */
async function tree(folder: string): Promise<Map<string, string>> {
  const names = (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
    .sort();
  return new Map(
    await Promise.all(names.map(async (n) => [n, await readFile(join(folder, n), 'utf8')] as const)),
  );
}

beforeAll(async () => {
  // Inside the repository, so the bundle's external packages resolve from its node_modules as an install's do.
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  work = await mkdtemp(join(REPO, '.tmp/bundle-test-'));
  dist = join(work, 'dist');
  await build(dist);
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the bundled CLI', () => {
  it('is what the build writes, beside the compiled modules it points its file reads at', () => {
    expect(existsSync(join(dist, BUNDLE_FOLDER, BUNDLE_ENTRY))).toBe(true);
    expect(existsSync(join(dist, 'generators/parse/precompiled'))).toBe(true);
  });

  it('leaves prettier out: json-schema-to-typescript never formats (format: false), so it gets a stand-in', async () => {
    const folder = join(dist, BUNDLE_FOLDER);
    const texts = await Promise.all(
      (await readdir(folder)).map((name) => readFile(join(folder, name), 'utf8')),
    );
    expect(texts.some((text) => text.includes('// node_modules/json-schema-to-typescript/'))).toBe(true);
    expect(texts.filter((text) => text.includes('// node_modules/prettier/'))).toEqual([]);
  });

  it('generates the same files, byte for byte, as the source CLI from the repository contracts', async () => {
    const fromBundle = join(work, 'out-bundle');
    const fromSource = join(work, 'out-source');
    const [b, s] = await Promise.all([
      bundled(['generate', 'asyncapi', '--out', fromBundle, '--quiet']),
      runCli(['generate', 'asyncapi', '--out', fromSource, '--quiet'], REPO, {
        env: { EVENTWIRE_CACHE_DIR: await mkdtemp(join(work, 'cache-')) },
      }),
    ]);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(s.code, s.stderr).toBe(0);
    const [bundleFiles, sourceFiles] = await Promise.all([tree(fromBundle), tree(fromSource)]);
    expect(bundleFiles.size).toBeGreaterThan(300);
    expect([...bundleFiles.keys()]).toEqual([...sourceFiles.keys()]);
    for (const [name, text] of sourceFiles) expect(bundleFiles.get(name), name).toBe(text);
  }, 120_000);

  it('finds the committed output up to date and prints the same check report as the source CLI', async () => {
    const upToDate = await bundled(['generate', 'asyncapi', '--out', 'generated', '--check']);
    expect(upToDate.stderr).toBe('');
    expect(upToDate.stdout).toMatch(/^generated\/ is up to date \(\d+ files\)\.\n$/);
    const [b, s] = await Promise.all([bundled(['check', 'asyncapi']), runCli(['check', 'asyncapi'], REPO)]);
    expect({ code: b.code, stdout: b.stdout }).toEqual({ code: s.code, stdout: s.stdout });
  }, 120_000);

  it('validates on worker threads with the parser, which run the compiled modules beside the bundle', async () => {
    const result = await bundled(['generate', 'asyncapi', '--out', 'generated', '--check'], {
      EVENTWIRE_VALIDATION: 'parser',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it('reports its version from the package manifest', async () => {
    const manifest = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect((await bundled(['--version'])).stdout).toBe(`eventwire ${manifest.version}\n`);
  });
});
