/**
 * Reads every file a document references (transitively) and checks each `$ref` before the parser runs, so a
 * broken reference is reported at the `$ref` itself (file + pointer + line) with what is missing, and remote
 * references are refused instead of being fetched: generation must not depend on the network.
 */
import { memo } from '../pipeline/memo.ts';
import type { RefsRoots } from './confine.ts';
import { contractError } from './errors.ts';
import type { ContractFiles, Location } from './files.ts';
import { memoOverReads, type Reads } from './parse-memo.ts';
import { parsePointer, pointerOf } from './pointer.ts';
import type { ReadProblem } from './read.ts';
import type { Diagnostic } from './types.ts';

export interface RefClosure {
  /** Absolute paths of the document and every file it references. */
  readonly files: readonly string[];
  readonly errors: readonly Diagnostic[];
}

export interface FoundRef {
  readonly pointer: string;
  readonly ref: string;
}

/** Every `$ref` in a file's data; kept by the data (the memo), since documents share the files they reference. */
export function collectRefs(data: unknown): readonly FoundRef[] {
  if (typeof data !== 'object' || data === null) return [];
  return memo('parse:refs', data, refsWithin);
}

/** Every `$ref` at or below a node (not kept: for a node that is not a whole file). */
export function refsWithin(data: unknown): readonly FoundRef[] {
  if (typeof data !== 'object' || data === null) return [];
  const found: FoundRef[] = [];
  const seen = new Set<object>();
  const path: (string | number)[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const entries: Iterable<[string | number, unknown]> = Array.isArray(node)
      ? node.entries()
      : Object.entries(node);
    if (!Array.isArray(node) && typeof (node as Record<string, unknown>).$ref === 'string') {
      found.push({ pointer: pointerOf(path), ref: (node as Record<string, unknown>).$ref as string });
    }
    for (const [key, value] of entries) {
      path.push(key);
      walk(value);
      path.pop();
    }
  };
  walk(data);
  return found;
}

/** Whether a reference target exists; asked once per load, since many references share a target. */
function targetExists(files: ContractFiles, target: Location): boolean {
  const found = files.perLoad('targets found', () => new Map<string, boolean>());
  const key = `${target.file}#${target.pointer}`;
  let exists = found.get(key);
  if (exists === undefined) {
    exists = files.resolve(target) !== undefined;
    found.set(key, exists);
  }
  return exists;
}

/** A file that could not be read as YAML, reported at its own position. */
export function problemError(files: ContractFiles, file: string, problem: ReadProblem): Diagnostic {
  const { code, message, hint, line, column } = problem;
  return {
    stage: 'parse',
    code,
    severity: 'error',
    file: files.display(file),
    ...(line === undefined ? {} : { line, column }),
    pointer: '',
    message,
    ...(hint ? { hint } : {}),
  };
}

/** A `$ref` that leads out of the refs root: refused before the file is even opened. */
function outsideRoot(
  files: ContractFiles,
  roots: RefsRoots,
  at: Location,
  ref: string,
  target: string,
): Diagnostic {
  const folders = roots.folders.map((folder) => `${files.shown(folder)}/`).join(', ');
  return contractError(
    files,
    at,
    'ref-outside-root',
    `$ref "${ref}" leads to ${files.shown(target)}, outside the refs root (${folders}): contracts may only reference files inside the folders they were given in`,
    'move the referenced file inside the refs root, or name a folder that holds every referenced file with --refs-root DIR (generate, check, diff)',
  );
}

interface PendingCheck {
  readonly at: Location;
  readonly ref: string;
  readonly target: Location;
}

/**
 * Phase one reads every referenced file; phase two checks that each reference points at something, following
 * `$ref`s inside the path as the parser does (so the order files were read in does not matter). Kept by what
 * every file it read held (parse-memo.ts): a `--watch` run crawls again only the documents an edit touched. The
 * files are read into this load all the same.
 */
export function crawlRefs(files: ContractFiles, documentPath: string): Promise<RefClosure> {
  return memoOverReads('ref-closure', files, documentPath, (reads) => crawl(files, reads, documentPath));
}

async function crawl(files: ContractFiles, reads: Reads, documentPath: string): Promise<RefClosure> {
  const visited = new Set<string>([documentPath]);
  const queue = [documentPath];
  const errors: Diagnostic[] = [];
  const checks: PendingCheck[] = [];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const from = file;
    const source = await reads.read(from);
    for (const { pointer, ref } of collectRefs(source.ok ? source.data : undefined)) {
      const at = { file: from, pointer: `${pointer}/$ref` };
      const target = files.resolveRef(from, ref);
      if (target.kind === 'remote') {
        errors.push(
          contractError(
            files,
            at,
            'remote-ref',
            `remote $ref "${ref}" is not fetched: contracts are read from local files only`,
            'save a copy of the referenced file next to the document and reference it with a relative path',
          ),
        );
        continue;
      }
      if (target.kind === 'invalid') {
        errors.push(contractError(files, at, 'unresolved-ref', `invalid $ref "${ref}": ${target.reason}`));
        continue;
      }
      if (target.file !== from && files.refsRoots && !(await reads.inside(target.file))) {
        errors.push(outsideRoot(files, files.refsRoots, at, ref, target.file));
        continue;
      }
      const read = await reads.read(target.file);
      if (!read.ok) {
        const missing = read.code === 'file-not-found';
        // A broken referenced file is reported where it is broken, with its own line and column.
        if (!missing) errors.push(problemError(files, target.file, read));
        errors.push(
          contractError(
            files,
            at,
            'unresolved-ref',
            `cannot resolve $ref "${ref}": ${missing ? 'file not found' : read.message} (${files.display(target.file)})`,
            missing
              ? 'check the relative path: it is resolved from the folder of the file that holds the $ref'
              : undefined,
          ),
        );
        continue;
      }
      if (!visited.has(target.file)) {
        visited.add(target.file);
        queue.push(target.file);
      }
      checks.push({ at, ref, target });
    }
  }
  // Every file the checks read was read through `reads` above: the view holds nothing else.
  const read = files.confinedTo([...visited]);
  for (const { at, ref, target } of checks) {
    if (targetExists(read, target)) continue;
    const depth = read.existingDepth(target);
    const prefix = pointerOf(parsePointer(target.pointer).slice(0, depth));
    errors.push(
      contractError(
        read,
        at,
        'unresolved-ref',
        `cannot resolve $ref "${ref}": ${read.display(target.file)} has nothing at ${target.pointer}`,
        depth === 0 ? 'check the pointer after "#"' : `the deepest part that exists is ${prefix}`,
      ),
    );
  }
  return { files: [...visited].sort(), errors };
}
