/**
 * Golden-file tests for emitter output, one mechanism for every emitter: the complete output of a render is
 * stored under a folder (`__golden__/`), each file as written or with a suffix that keeps it out of the
 * project's type-check and lint (`.golden`). A test fails when a file differs, is missing or is extra, and when
 * a second render from a freshly built model is not byte-identical.
 *
 * Refresh after an intended change with `UPDATE_GOLDEN=1 npx vitest run <the test file>` and review the diff
 * like any other code change.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

export interface GoldenFile {
  readonly path: string;
  readonly contents: string;
}

export interface GoldenSet<F extends GoldenFile> {
  /** Folder of the stored files (it holds nothing else). */
  readonly dir: string;
  /** Appended to every stored file's name (`.golden`); none by default. */
  readonly suffix?: string;
  /** Renders the output from a freshly built model: called twice, both must be identical. */
  readonly render: () => Promise<readonly F[]> | readonly F[];
  /** More expectations on each rendered file (ownership, sources, ...). */
  readonly eachFile?: (file: F) => void;
}

const update = process.env.UPDATE_GOLDEN === '1';

function storedPaths(dir: string, suffix: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) =>
      relative(dir, join(entry.parentPath, entry.name)).slice(0, suffix ? -suffix.length : undefined),
    )
    .map((path) => path.split('\\').join('/'))
    .sort();
}

function rewrite(dir: string, suffix: string, files: readonly GoldenFile[]): void {
  rmSync(dir, { recursive: true, force: true });
  for (const file of files) {
    const target = join(dir, file.path + suffix);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
}

/** The golden tests of one output set, under `describe(title)`; returns the rendered files for more tests. */
export async function describeGolden<F extends GoldenFile>(
  title: string,
  set: GoldenSet<F>,
): Promise<readonly F[]> {
  const suffix = set.suffix ?? '';
  const files = await set.render();
  if (update) rewrite(set.dir, suffix, files);
  describe(`${title} (UPDATE_GOLDEN=1 to refresh)`, () => {
    it('writes exactly the golden set of files', () => {
      expect(files.map((file) => file.path).sort()).toEqual(storedPaths(set.dir, suffix));
    });

    it.each(files.map((file) => [file.path, file] as const))('%s matches its golden file', (path, file) => {
      expect(
        file.contents,
        `${path} differs from its golden file; run with UPDATE_GOLDEN=1 if intended`,
      ).toBe(readFileSync(join(set.dir, path + suffix), 'utf8'));
      set.eachFile?.(file);
    });

    it('is byte-identical on a second render from a freshly built model', async () => {
      const again = await set.render();
      expect(again.map((file) => [file.path, file.contents])).toEqual(
        files.map((file) => [file.path, file.contents]),
      );
    });
  });
  return files;
}
