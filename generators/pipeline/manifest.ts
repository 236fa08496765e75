/**
 * `.eventwire-manifest.json` lists every file eventwire owns in the output directory. It lets a run find files a
 * previous run wrote that are no longer produced (a removed service, a renamed operation) and delete them, or
 * report them under `--check`, including JSON files that cannot carry a header.
 *
 * The manifest is read from disk, where anyone may have written it (a pull request, a merge, a careless edit):
 * every entry is checked before it is used, and a manifest that is not exactly what eventwire writes is refused
 * as a whole, so nothing is deleted on the word of a file eventwire did not write.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { OutputRefused } from './output-refused.ts';

export const MANIFEST_NAME = '.eventwire-manifest.json';

interface Manifest {
  readonly generator: 'eventwire';
  readonly files: readonly string[];
}

const FIX_MANIFEST =
  'restore the manifest from version control, or delete it: the next generate writes a new one (files it no longer lists are then left in place, never deleted)';

/** Why a manifest entry cannot name a file inside the output folder; undefined when it can. */
export function manifestEntryProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'string' || entry === '') return 'is not a non-empty string';
  if (entry.includes('\u0000')) return 'holds a NUL character';
  if (entry.includes('\\')) return 'holds a backslash (entries use "/" only)';
  if (entry.startsWith('/') || /^[a-z]:/i.test(entry)) return 'is an absolute path';
  if (entry.split('/').includes('..')) return 'climbs out with ".."';
  if (posix.normalize(entry) !== entry || entry.endsWith('/')) return 'is not a normalised relative path';
  if (entry === MANIFEST_NAME) return 'names the manifest itself';
  return undefined;
}

/**
 * The files a previous run wrote, or undefined when the folder holds no manifest. Throws OutputRefused when the
 * manifest exists but is not one eventwire wrote: unreadable JSON, another shape, or an entry that could name a
 * file outside the folder.
 */
export async function readManifest(
  outDir: string,
  shownOut = outDir,
): Promise<readonly string[] | undefined> {
  const file = join(shownOut, MANIFEST_NAME);
  let text: string;
  try {
    text = await readFile(join(outDir, MANIFEST_NAME), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OutputRefused({
      file,
      message: `cannot read the manifest (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      hint: FIX_MANIFEST,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OutputRefused({
      file,
      message: `the manifest is not valid JSON (${(error as Error).message})`,
      hint: FIX_MANIFEST,
    });
  }
  const manifest = parsed as Partial<Manifest> | null;
  if (
    typeof manifest !== 'object' ||
    manifest === null ||
    manifest.generator !== 'eventwire' ||
    !Array.isArray(manifest.files)
  ) {
    throw new OutputRefused({
      file,
      message:
        'the manifest is not one eventwire wrote: expected { "generator": "eventwire", "files": [...] }',
      hint: FIX_MANIFEST,
    });
  }
  for (const [index, entry] of manifest.files.entries()) {
    const problem = manifestEntryProblem(entry);
    if (problem === undefined) continue;
    throw new OutputRefused({
      file,
      pointer: `/files/${index}`,
      message: `entry ${JSON.stringify(entry)} ${problem}: a manifest entry must name a file inside ${shownOut}/`,
      hint: FIX_MANIFEST,
    });
  }
  return manifest.files as string[];
}

export function renderManifest(files: readonly string[]): string {
  const manifest: Manifest = { generator: 'eventwire', files: [...files].sort() };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
