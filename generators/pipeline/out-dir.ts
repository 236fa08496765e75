/**
 * Which folder `generate` may write, and which paths inside it. The output folder is eventwire's only when it
 * is empty, new, or holds eventwire's manifest; it is never the filesystem root, a home folder, the root of a
 * git repository, or a folder that holds the contracts themselves (not even with `--force`). Every path written
 * or deleted must resolve inside the folder once symbolic links are followed.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { isInside, realTarget } from '../parse/confine.ts';
import { MANIFEST_NAME, manifestEntryProblem, readManifest } from './manifest.ts';
import { OutputRefused } from './output-refused.ts';

export interface OutputFolderOptions {
  /** The folder as the user named it, for messages. */
  readonly shown: string;
  /** Contract files and folders given on the command line (absolute). */
  readonly contracts: readonly string[];
  /** Write into a non-empty folder that holds no eventwire manifest. */
  readonly force: boolean;
  /** The user's home folder (default: os.homedir()). */
  readonly home?: string;
}

const CHOOSE_ANOTHER = 'pass --out with a folder of its own, such as generated/ (the default)';

/** Throws OutputRefused when `outDir` is not a folder eventwire may write into. */
export async function checkOutputFolder(outDir: string, options: OutputFolderOptions): Promise<void> {
  const { shown } = options;
  const refuse = (message: string, hint = CHOOSE_ANOTHER): never => {
    throw new OutputRefused({ file: shown, message, hint });
  };
  const real = await realTarget(outDir);
  if (path.parse(real).root === real) refuse('--out is the filesystem root');
  const home = await realTarget(options.home ?? homedir()).catch(() => undefined);
  if (home !== undefined && real === home) refuse('--out is the home folder');
  for (const contract of options.contracts) {
    const contracts = await realTarget(contract);
    if (isInside(contracts, real)) {
      refuse(
        `--out holds the contracts (${path.relative(real, contracts) || '.'}): generated files would be written among them`,
      );
    }
  }
  const info = await stat(real).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isDirectory()) refuse('--out exists and is not a folder');
  const entries = await readdir(real);
  if (entries.includes('.git')) refuse('--out is the root of a git repository (it holds .git)');
  if ((await readManifest(real, shown)) !== undefined || options.force) return;
  // Dot-files (.gitkeep, .gitignore) do not make a folder someone else's: eventwire never writes or deletes them.
  const foreign = entries.filter((name) => !name.startsWith('.')).sort();
  if (foreign.length === 0) return;
  const listed =
    foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? `, … (${foreign.length} in all)` : '');
  refuse(
    `--out already holds files eventwire did not write (${listed}) and no ${MANIFEST_NAME}`,
    'pass --out with an empty or new folder, or add --force to write into it anyway (files eventwire does not generate are left alone; files at the paths it generates are overwritten)',
  );
}

/**
 * Checks paths inside the output folder before anything is written or deleted: each must be a plain relative
 * path that resolves inside the folder, with no symbolic link on the way leading out. A file is never written
 * through a symbolic link (writeFile would follow it); deleting one deletes the link only.
 */
export class OutputPaths {
  readonly #outDir: string;
  readonly #shown: string;
  readonly #real: Promise<string>;
  readonly #folders = new Map<string, Promise<string>>();
  /** The file each checked path to write held, as `lstat` found it: whoever reads it next needs no stat. */
  readonly #found = new Map<string, Stats | undefined>();

  constructor(outDir: string, shown = outDir) {
    this.#outDir = outDir;
    this.#shown = shown;
    this.#real = realTarget(outDir);
  }

  async target(relative: string, purpose: 'write' | 'remove'): Promise<string> {
    const refuse = (why: string, hint = 'remove the link, or choose another --out'): never => {
      throw new OutputRefused({
        file: `${this.#shown}/${relative}`,
        message: `refusing to ${purpose === 'write' ? 'write' : 'delete'} it: ${why}; generate writes and deletes only inside ${this.#shown}/`,
        hint,
      });
    };
    // The manifest itself is written like any output file; only manifest entries may not name it.
    const problem = relative === MANIFEST_NAME ? undefined : manifestEntryProblem(relative);
    if (problem !== undefined) refuse(`the path ${problem}`, 'this is a bug in an emitter plugin: report it');
    const target = path.join(this.#outDir, relative);
    const folder = path.dirname(target);
    let real = this.#folders.get(folder);
    if (!real) {
      real = realTarget(folder);
      this.#folders.set(folder, real);
    }
    const [inside, out] = await Promise.all([real, this.#real]);
    if (!isInside(inside, out)) refuse(`its folder leads out of ${this.#shown}/ to ${inside}`);
    if (purpose === 'remove') {
      const info = await lstat(target).catch(() => undefined);
      if (info?.isDirectory())
        refuse('it is a folder, and the manifest lists files only', 'remove the entry from the manifest');
    } else {
      const info = await lstat(target).catch(() => undefined);
      if (info?.isSymbolicLink())
        refuse('it is a symbolic link, and writing would change the file it points to');
      if (info && !info.isFile())
        refuse(
          'it is not a regular file (a folder, a FIFO or a device)',
          'remove it, or choose another --out',
        );
      this.#found.set(target, info);
    }
    return target;
  }

  /** What the check of a path to write found there (undefined: nothing, or it was not checked). */
  found(target: string): Stats | undefined {
    return this.#found.get(target);
  }

  /** Whether the check of a path to write found nothing there: then there is nothing to read before writing. */
  foundNothing(target: string): boolean {
    return this.#found.has(target) && this.#found.get(target) === undefined;
  }
}
