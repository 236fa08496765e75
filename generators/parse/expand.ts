/** Turns the paths given on the command line into the list of files to consider as contract documents. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareText } from './compare.ts';

export interface EntryFile {
  readonly absPath: string;
  /** Named directly: a file without an `asyncapi` key is then an error, not a shared part to skip. */
  readonly explicit: boolean;
}

export interface Expansion {
  readonly entries: readonly EntryFile[];
  /** Paths that do not exist. */
  readonly missing: readonly string[];
}

const CONTRACT_EXTENSION = /\.(ya?ml|json)$/i;
const SKIPPED_FOLDER = /^(node_modules|\..+)$/;

async function filesUnder(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDER.test(entry.name)) found.push(...(await filesUnder(full)));
    else if (entry.isFile() && CONTRACT_EXTENSION.test(entry.name)) found.push(full);
  }
  return found;
}

/** Folders are searched recursively for *.yaml, *.yml and *.json (skipping node_modules and dot-folders). */
export async function expandPaths(paths: readonly string[]): Promise<Expansion> {
  const byPath = new Map<string, EntryFile>();
  const missing: string[] = [];
  for (const given of paths) {
    const absPath = path.resolve(given);
    const info = await stat(absPath).catch(() => undefined);
    if (!info) {
      missing.push(absPath);
    } else if (info.isDirectory()) {
      for (const file of await filesUnder(absPath)) {
        if (!byPath.has(file)) byPath.set(file, { absPath: file, explicit: false });
      }
    } else {
      byPath.set(absPath, { absPath, explicit: true });
    }
  }
  const entries = [...byPath.values()].sort((a, b) => compareText(a.absPath, b.absPath));
  return { entries, missing };
}
