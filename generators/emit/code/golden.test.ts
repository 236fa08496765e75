/**
 * Golden files: the complete output of every code plugin for each focused test model, stored under
 * __golden__/<model>/<path>.golden (the suffix keeps them out of the project's type-check and lint).
 * Regenerate after an intended change with `UPDATE_GOLDEN=1 npx vitest run generators/emit/code/golden.test.ts`
 * and review the diff like any other code change.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitAll } from './test-fixtures.ts';
import { TEST_MODELS } from './test-models.ts';

const GOLDEN_DIR = join(import.meta.dirname, '__golden__');
const SUFFIX = '.golden';
const update = process.env.UPDATE_GOLDEN === '1';

async function storedFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.endsWith(SUFFIX))
      .map((e) => join(e.parentPath, e.name).slice(dir.length + 1, -SUFFIX.length))
      .sort();
  } catch {
    return [];
  }
}

describe.each(Object.entries(TEST_MODELS))('golden output: %s', (name, makeModel) => {
  const dir = join(GOLDEN_DIR, name);

  it('matches the stored files exactly, with no file missing or extra', async () => {
    const files = await emitAll(makeModel());
    if (update) {
      await rm(dir, { recursive: true, force: true });
      for (const file of files) {
        const path = join(dir, file.path + SUFFIX);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, file.contents);
      }
    }
    expect(files.map((f) => f.path)).toEqual(await storedFiles(dir));
    for (const file of files) {
      const stored = await readFile(join(dir, file.path + SUFFIX), 'utf8');
      expect(
        file.contents,
        `${file.path} differs from its golden file; run with UPDATE_GOLDEN=1 if intended`,
      ).toBe(stored);
    }
  });

  it('is byte-identical when generated again from a freshly built model', async () => {
    const first = await emitAll(makeModel());
    const second = await emitAll(makeModel());
    expect(second).toEqual(first);
  });
});
