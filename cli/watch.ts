/**
 * `--watch`: regenerate when a contract changes. Editors save in bursts (temp file, rename, chmod), so events are
 * coalesced for a short quiet period (long enough for one save's events, which arrive within a millisecond or
 * two, short against the run itself), and a change that arrives during a run schedules exactly one more run.
 *
 * Every folder under the watched paths gets its own (non-recursive) watcher. A folder's watcher reports any
 * name created, renamed or removed in it, so saves made by rename (vim, `sed -i`: a new file replaces the old
 * one) keep being seen; Node's recursive watcher on Linux follows the files it found at start and goes quiet
 * once such a save has replaced one. New folders get a watcher when they appear, removed ones lose theirs.
 */
import { type FSWatcher, watch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CliIo } from './io.ts';

const QUIET_MS = 10;
const CONTRACT_FILE = /\.(ya?ml|json)$/;

export async function watchContracts(
  inputs: readonly string[],
  run: () => Promise<unknown>,
  io: CliIo,
): Promise<void> {
  const roots = await Promise.all(inputs.map(async (p) => ((await stat(p)).isDirectory() ? p : dirname(p))));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;

  const trigger = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void fire(), QUIET_MS);
  };
  const fire = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = run().catch((error: unknown) =>
      io.stderr(`${error instanceof Error ? error.message : String(error)}\n`),
    );
    await running;
    running = undefined;
    if (again) {
      again = false;
      void fire();
    }
  };

  const folders = new FolderWatchers((folder, name) => {
    if (name === undefined) return trigger();
    const path = join(folder, name);
    // A folder that appeared may already hold contracts (copied in whole); one that went took its contracts.
    void folders.sync(path).then((change) => {
      if (change !== 'none' || CONTRACT_FILE.test(name)) trigger();
    });
  });
  for (const root of new Set(roots)) await folders.add(root);
  io.stderr(`Watching ${roots.length} path(s) for contract changes. Press Ctrl-C to stop.\n`);
  await io.interrupted;
  clearTimeout(timer);
  folders.close();
  await running;
}

/** One `fs.watch` per folder, kept in step with the folders that exist. */
class FolderWatchers {
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #onChange: (folder: string, name: string | undefined) => void;

  constructor(onChange: (folder: string, name: string | undefined) => void) {
    this.#onChange = onChange;
  }

  /** After an event on `path`: watch it if it is a new folder, forget it if it was a folder and is gone. */
  async sync(path: string): Promise<'added' | 'removed' | 'none'> {
    if (this.#watchers.has(path)) {
      const exists = await stat(path).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (exists) return 'none';
      this.#forget(path);
      return 'removed';
    }
    return (await this.add(path)) ? 'added' : 'none';
  }

  /** Watches `path` and every folder below it when it is a folder; true when something new is watched. */
  async add(path: string): Promise<boolean> {
    if (this.#watchers.has(path)) return false;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch {
      this.#forget(path);
      return false;
    }
    if (this.#watchers.has(path)) return false;
    const watcher = watch(path, (_event, name) => this.#onChange(path, name ?? undefined));
    // The folder was removed (or moved away): stop watching it; its parent reports the removal.
    watcher.on('error', () => this.#forget(path));
    this.#watchers.set(path, watcher);
    for (const entry of entries)
      if (entry.isDirectory() && !entry.name.startsWith('.')) await this.add(join(path, entry.name));
    return true;
  }

  #forget(path: string): void {
    for (const [folder, watcher] of this.#watchers) {
      if (folder !== path && !folder.startsWith(`${path}/`)) continue;
      watcher.close();
      this.#watchers.delete(folder);
    }
  }

  close(): void {
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }
}
