/**
 * Brings the output directory in line with the rendered files, or (check mode) reports how it differs without
 * touching anything. Only files whose bytes change are written, so build tools and editors see no churn.
 * Scaffolds are the user's: created when missing, otherwise never read, written or reported.
 * Every path to write or delete is checked before anything is (out-dir.ts): a plan that would leave the output
 * folder throws OutputRefused, and nothing is touched.
 */
import type { Stats } from 'node:fs';
import { lstat, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readManifest } from './manifest.ts';
import { OutputPaths } from './out-dir.ts';
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

function missingFile(error: unknown): false {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
  throw error;
}

/**
 * A regular file's text; undefined when nothing is there, or something no file is read from (a FIFO, a device).
 * `found`: the path check's lstat of it, taken just before, so a file to compare is not looked at twice.
 */
async function readIfExists(path: string, found?: Stats): Promise<string | undefined> {
  try {
    if (!(found ?? (await lstat(path))).isFile()) return undefined;
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * What this process last wrote to, or found in, each output file, with the file's size and modification time
 * then: a `--watch` run renders the same bytes for most files, and a matching stat shows the file still holds
 * them without reading it. Any other stat (the file was edited or removed meanwhile) reads it as usual.
 */
const known = new Map<
  string,
  { readonly contents: string; readonly size: number; readonly mtimeMs: number }
>();

async function remember(path: string, contents: string): Promise<void> {
  try {
    const info = await stat(path);
    known.set(path, { contents, size: info.size, mtimeMs: info.mtimeMs });
  } catch {
    known.delete(path);
  }
}

/**
 * The file's contents when this process knows them to equal `expected`, else read from disk; the file's
 * stat when the caller has it (`found`: the output path check took one).
 */
async function currentContents(path: string, expected: string, found?: Stats): Promise<string | undefined> {
  const last = known.get(path);
  if (last?.contents === expected) {
    const info = found ?? (await stat(path).catch(() => undefined));
    if (info && info.size === last.size && info.mtimeMs === last.mtimeMs) return expected;
  }
  const contents = await readIfExists(path, found);
  if (contents === expected) await remember(path, contents);
  return contents;
}

/** What a sync would change, found without changing anything; `applySync` carries it out. */
export interface SyncPlan {
  readonly report: SyncReport;
  readonly writes: readonly {
    readonly target: string;
    readonly contents: string;
    readonly scaffold: boolean;
    /** What the file held when planned; undefined when it did not exist. */
    readonly previous: string | undefined;
  }[];
  readonly removals: readonly string[];
}

/** `shownOut` names the output folder in messages (as the user gave it). */
export async function planSync(
  outDir: string,
  files: readonly RenderedFile[],
  shownOut = outDir,
): Promise<SyncPlan> {
  const changed: string[] = [];
  const missing: string[] = [];
  const unchanged: string[] = [];
  const scaffolded: string[] = [];
  const writes: SyncPlan['writes'][number][] = [];
  const produced = new Set(files.map((f) => f.path));
  const orphaned = ((await readManifest(outDir, shownOut)) ?? [])
    .filter((path) => !produced.has(path))
    .sort();
  const paths = new OutputPaths(outDir, shownOut);

  await Promise.all(
    files.map(async (file) => {
      if (file.ownership === 'scaffold') {
        // The user's file: only whether it exists matters (a link of theirs included, even a dangling one).
        if (await lstat(join(outDir, file.path)).then(() => true, missingFile)) return;
        const target = await paths.target(file.path, 'write');
        scaffolded.push(file.path);
        writes.push({ target, contents: file.contents, scaffold: true, previous: undefined });
        return;
      }
      // Checked before it is even read: a symbolic link to /dev/zero must not be read, let alone written.
      const target = await paths.target(file.path, 'write');
      // Nothing there when checked (every file of a first run): no second look for it on the thread pool.
      const current = paths.foundNothing(target)
        ? undefined
        : await currentContents(target, file.contents, paths.found(target));
      if (current === file.contents) {
        unchanged.push(file.path);
        return;
      }
      changed.push(file.path);
      if (current === undefined) missing.push(file.path);
      writes.push({ target, contents: file.contents, scaffold: false, previous: current });
    }),
  );
  return {
    report: {
      changed: changed.sort(),
      missing: missing.sort(),
      orphaned,
      unchanged: unchanged.sort(),
      scaffolded: scaffolded.sort(),
    },
    writes,
    removals: await Promise.all(orphaned.map((path) => paths.target(path, 'remove'))),
  };
}

/** Puts the output folder back as `applySync` found it (`generate --watch` writes before the parser's verdict). */
export interface SyncUndo {
  restore(): Promise<void>;
}

/**
 * `remember: false` for a process that syncs once (`generate` without `--watch`): no later run in it would use
 * what a stat of each written file records, and it would cost one more thread-pool round trip per file.
 */
export async function applySync(
  plan: SyncPlan,
  { remember: remembers = true }: { readonly remember?: boolean } = {},
): Promise<SyncUndo> {
  const folders = new Folders();
  await Promise.all(
    plan.writes.map(async ({ target, contents, scaffold }) => {
      await write(target, contents, folders);
      if (remembers && !scaffold) await remember(target, contents);
    }),
  );
  const removed = await Promise.all(
    plan.removals.map(async (target) => {
      const previous = await readIfExists(target);
      known.delete(target);
      await rm(target, { force: true });
      return { target, previous };
    }),
  );
  return { restore: () => restore(plan, removed) };
}

async function restore(
  plan: SyncPlan,
  removed: readonly { readonly target: string; readonly previous: string | undefined }[],
): Promise<void> {
  await Promise.all(
    plan.writes.map(async ({ target, contents, previous }) => {
      // A file changed again since it was written (the user edited a new scaffold, say) is left alone.
      if ((await readIfExists(target)) !== contents) return;
      known.delete(target);
      if (previous === undefined) await rm(target, { force: true });
      else await writeFile(target, previous);
    }),
  );
  await Promise.all(
    removed.map(async ({ target, previous }) => {
      if (previous !== undefined) await write(target, previous);
    }),
  );
}

export async function syncOutput(
  outDir: string,
  files: readonly RenderedFile[],
  mode: { readonly check: boolean },
): Promise<SyncReport> {
  const plan = await planSync(outDir, files);
  if (!mode.check) await applySync(plan);
  return plan.report;
}

async function write(path: string, contents: string, folders = new Folders()): Promise<void> {
  await folders.made(dirname(path));
  await writeFile(path, contents);
}

/**
 * Each folder files are written to, made once: a first run writes ~20 files per service folder, and each
 * `mkdir` is a round trip through the thread pool the writes wait behind.
 */
class Folders {
  readonly #made = new Map<string, Promise<unknown>>();

  made(folder: string): Promise<unknown> {
    let made = this.#made.get(folder);
    if (!made) {
      made = mkdir(folder, { recursive: true });
      this.#made.set(folder, made);
    }
    return made;
  }
}
