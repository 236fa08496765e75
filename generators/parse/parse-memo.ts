/**
 * The parse side's steps kept between runs (a `--watch` session loads every document on each edit, and most of
 * them have not changed), through the one memo (pipeline/memo.ts), with its key discipline: a step is kept by
 * its name and the content of every input it reads, so a changed input can never find the output of the old.
 *
 *   memoOverFiles(name, files, document, closure, scope, compute)
 *       a step over a document whose files are known (the `$ref` closure): kept by the load's roots, the
 *       document, `scope`, and the content hash of every file of the closure. `compute` is handed a view of the
 *       load that reads those files only (ContractFiles.confinedTo): reading another throws, so the key cannot
 *       miss a file the step reads.
 *   memoOverReads(name, files, document, compute)
 *       a step that finds its files as it goes (the crawl): kept by what every file it read held, or the problem
 *       reading it gave (a missing file is an input too: creating it must change the result); see memoTraced.
 */
import { memo, memoTraced } from '../pipeline/memo.ts';
import type { ContractFiles, FileEntry } from './files.ts';
import type { ReadProblem } from './read.ts';

/** What every step depends on besides its files: the display root and where `$ref`s may lead. */
const rootsOf = (files: ContractFiles) => [files.root, files.refsRoots?.folders ?? []];

export function memoOverFiles<O>(
  name: string,
  files: ContractFiles,
  document: string,
  closure: readonly string[],
  scope: unknown,
  compute: (view: ContractFiles) => O,
): O {
  const contents = closure.map((file) => [file, files.entry(file)?.hash ?? 'absent']);
  const input = { roots: rootsOf(files), document, scope, contents };
  return memo(`parse:${name}`, input, () => compute(files.confinedTo(closure)));
}

/** What a crawl observes of a file: read it, or ask whether it lies inside the refs roots. */
export interface Reads {
  read(file: string): Promise<FileEntry | ReadProblem>;
  inside(file: string): Promise<boolean>;
}

const READ = 'read\u0000';
const INSIDE = 'inside\u0000';

export function memoOverReads<O>(
  name: string,
  files: ContractFiles,
  document: string,
  compute: (reads: Reads) => Promise<O>,
): Promise<O> {
  const observe = async (input: string): Promise<FileEntry | ReadProblem | boolean> => {
    if (input.startsWith(READ)) return files.read(input.slice(READ.length));
    const file = input.slice(INSIDE.length);
    return files.refsRoots ? files.refsRoots.contains(file) : true;
  };
  const contentOf = (observation: FileEntry | ReadProblem | boolean): unknown =>
    typeof observation === 'boolean'
      ? observation
      : observation.ok
        ? observation.hash
        : [observation.code, observation.message, observation.line, observation.column];
  return memoTraced(`parse:${name}`, { roots: rootsOf(files), document }, observe, contentOf, (observed) =>
    compute({
      read: (file) => observed(READ + file) as Promise<FileEntry | ReadProblem>,
      inside: (file) => observed(INSIDE + file) as Promise<boolean>,
    }),
  );
}
