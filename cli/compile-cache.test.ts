import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO } from './test-process.ts';

const run = promisify(execFile);
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** `eventwire --help` as a fresh process with its own cache folder; NODE_COMPILE_CACHE would override it. */
async function eventwire(cache: string): Promise<void> {
  const { NODE_COMPILE_CACHE: _ignored, ...env } = process.env;
  await run(join(REPO, 'node_modules/.bin/node'), [join(REPO, 'cli/bin.ts'), '--help'], {
    env: { ...env, EVENTWIRE_CACHE_DIR: cache },
  });
}

describe("Node's compile cache", () => {
  it("is not written by a machine's first run (a throw-away CI machine) and is by its second", async () => {
    const cache = await mkdtemp(join(tmpdir(), 'eventwire-compile-cache-'));
    folders.push(cache);
    await eventwire(cache);
    expect(await readdir(join(cache, 'compile'))).toEqual([]);
    await eventwire(cache);
    expect((await readdir(join(cache, 'compile'))).length).toBeGreaterThan(0);
  });
});
