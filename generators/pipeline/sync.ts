/**
 * Brings the output directory in line with the rendered files, or (check mode) reports how it differs without
 * touching anything. Only files whose bytes change are written, so build tools and editors see no churn.
 * Scaffolds are the user's: created when missing, otherwise never read, written or reported.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readManifest } from './manifest.ts';
import type { RenderedFile } from './render.ts';

export interface SyncReport {
  /** Written (write mode) or that would be written (check mode) because their contents differ. */
  readonly changed: readonly string[];
  /** Did not exist before. Also listed in `changed`. */
  readonly missing: readonly string[];
  /** Owned by a previous run but no longer produced: removed, or reported in check mode. */
  readonly orphaned: readonly string[];
  readonly unchanged: readonly string[];
  readonly scaffolded: readonly string[];
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function syncOutput(
  outDir: string,
  files: readonly RenderedFile[],
  mode: { readonly check: boolean },
): Promise<SyncReport> {
  const changed: string[] = [];
  const missing: string[] = [];
  const unchanged: string[] = [];
  const scaffolded: string[] = [];
  const produced = new Set(files.map((f) => f.path));
  const orphaned = (await readManifest(outDir)).filter((path) => !produced.has(path)).sort();

  await Promise.all(
    files.map(async (file) => {
      const target = join(outDir, file.path);
      const current = await readIfExists(target);
      if (file.ownership === 'scaffold') {
        if (current !== undefined) return;
        scaffolded.push(file.path);
        if (!mode.check) await write(target, file.contents);
        return;
      }
      if (current === file.contents) {
        unchanged.push(file.path);
        return;
      }
      changed.push(file.path);
      if (current === undefined) missing.push(file.path);
      if (!mode.check) await write(target, file.contents);
    }),
  );
  if (!mode.check) await Promise.all(orphaned.map((path) => rm(join(outDir, path), { force: true })));
  return {
    changed: changed.sort(),
    missing: missing.sort(),
    orphaned,
    unchanged: unchanged.sort(),
    scaffolded: scaffolded.sort(),
  };
}

async function write(path: string, contents: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, contents);
}
