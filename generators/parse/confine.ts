/**
 * Where contract files may be read from. A `$ref` is followed only to a file inside the refs root: by default
 * the folders the contracts were given in (a folder named on the command line, or the folder of a file named),
 * or the folder given with `--refs-root`. Contracts come from pull requests; without this, `$ref:
 * ../../../home/runner/.ssh/id_rsa` would copy a CI runner's secrets into the generated types and docs.
 * Paths are compared once every symbolic link on the way is resolved, so a link inside the root that points
 * out of it does not count as inside.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** `target` with every existing part of it resolved through symbolic links; the rest appended as written. */
export async function realTarget(target: string): Promise<string> {
  const absolute = path.resolve(target);
  const missing: string[] = [];
  for (let at = absolute; ; at = path.dirname(at)) {
    try {
      return path.join(await realpath(at), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(at) === at) throw error;
      missing.push(path.basename(at));
    }
  }
}

export function isInside(candidate: string, folder: string): boolean {
  return candidate === folder || candidate.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/** The folders `$ref`s may reach, resolved once. */
export class RefsRoots {
  /** As given (absolute), for messages. */
  readonly folders: readonly string[];
  readonly #real: Promise<readonly string[]>;
  readonly #verdicts = new Map<string, Promise<boolean>>();

  constructor(folders: readonly string[]) {
    this.folders = [...new Set(folders.map((folder) => path.resolve(folder)))];
    this.#real = Promise.all(this.folders.map(realTarget));
  }

  /** The default: each folder given, and the folder of each file given. Paths that do not exist add nothing. */
  static async of(paths: readonly string[]): Promise<RefsRoots> {
    const folders: string[] = [];
    for (const given of paths) {
      const info = await stat(given).catch(() => undefined);
      if (info) folders.push(info.isDirectory() ? given : path.dirname(given));
    }
    return new RefsRoots(folders);
  }

  /** Whether `file` (absolute) lies inside one of the roots, symbolic links followed. */
  contains(file: string): Promise<boolean> {
    let verdict = this.#verdicts.get(file);
    if (!verdict) {
      verdict = Promise.all([realTarget(file), this.#real]).then(([real, roots]) =>
        roots.some((root) => isInside(real, root)),
      );
      this.#verdicts.set(file, verdict);
    }
    return verdict;
  }
}
