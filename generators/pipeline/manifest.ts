/**
 * `.eventwire-manifest.json` lists every file eventwire owns in the output directory. It lets a run find files a
 * previous run wrote that are no longer produced (a removed service, a renamed operation) and delete them, or
 * report them under `--check`, including JSON files that cannot carry a header.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MANIFEST_NAME = '.eventwire-manifest.json';

interface Manifest {
  readonly generator: 'eventwire';
  readonly files: readonly string[];
}

export async function readManifest(outDir: string): Promise<readonly string[]> {
  try {
    const parsed = JSON.parse(await readFile(join(outDir, MANIFEST_NAME), 'utf8')) as Partial<Manifest>;
    return Array.isArray(parsed.files) ? parsed.files.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

export function renderManifest(files: readonly string[]): string {
  const manifest: Manifest = { generator: 'eventwire', files: [...files].sort() };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
