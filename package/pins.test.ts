/**
 * The AsyncAPI structure validators ship precompiled (generators/parse/precompiled/), and an installed eventwire
 * uses them only when it resolves exactly the packages they were compiled for (their manifest). A version range
 * would let a fresh install pick a newer @asyncapi/parser or specs, and every cold run of that install would fall
 * back to the parser's validation, seconds slower: the dependencies pin those versions.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '..');
const readJson = async (path: string) => JSON.parse(await readFile(join(REPO, path), 'utf8'));

describe('dependencies of the shipped validators', () => {
  it('are pinned to the versions the precompiled validators were compiled for', async () => {
    const { packages } = await readJson('generators/parse/precompiled/manifest.json');
    const { dependencies } = await readJson('package.json');
    expect(Object.keys(packages).length).toBeGreaterThan(0);
    for (const [name, version] of Object.entries(packages)) expect(dependencies[name], name).toBe(version);
  });
});
