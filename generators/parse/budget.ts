/**
 * How big a document becomes once every `$ref` is copied in, measured before the parser or any emitter sees
 * it. The model keeps a schema referenced from ten places as one object, but the AsyncAPI parser's rules, the
 * generated TypeScript types, the ajv validators and the docs each write it out in full wherever it is used: a
 * 4 KB contract whose schemas reference each other ten times over four levels expands to 1.7 million nodes
 * (71 MB of output, 2 GB of memory, 40 s). Such a document is refused at once with the `$ref` that weighs most.
 *
 * The count is of JSON values (objects, arrays and scalars) in the expanded document, each `$ref` counted as
 * its target's expansion; a `$ref` back to a node being expanded (a recursive schema) counts one. Computed
 * once per place written, so measuring costs about as much as reading the files.
 */
import { contractError } from './errors.ts';
import type { ContractFiles, Location } from './files.ts';
import { childPointer, isRecord } from './pointer.ts';
import type { ContractError } from './types.ts';

/**
 * The largest expanded document accepted: twice the largest public AsyncAPI document in the corpus (97,180
 * nodes, Binance's USD-M futures API); the repository's own largest is 38,868. At the limit, generating one
 * document takes about 5 s and 550 MB (README.md, "Security").
 */
export const MAX_EXPANDED_NODES = 200_000;

interface Heaviest {
  readonly at: Location;
  readonly ref: string;
  readonly size: number;
}

/** The expanded size of the document, with the `$ref` whose target expands the most. */
export function expandedSize(
  files: ContractFiles,
  documentPath: string,
): { size: number; heaviest?: Heaviest } {
  const sizes = new Map<string, number>();
  const expanding = new Set<string>();
  let heaviest: Heaviest | undefined;
  const measure = (location: Location, node: unknown): number => {
    const defined = files.follow(location, node);
    const key = `${defined.file}#${defined.pointer}`;
    const known = sizes.get(key);
    if (known !== undefined) return known;
    if (expanding.has(key)) return 1;
    const value = defined.node;
    let size = 1;
    if (typeof value === 'object' && value !== null) {
      expanding.add(key);
      for (const [name, child] of Object.entries(value))
        size += measure({ file: defined.file, pointer: childPointer(defined.pointer, name) }, child);
      expanding.delete(key);
      sizes.set(key, size);
    }
    if (isRecord(node) && typeof node.$ref === 'string' && size > (heaviest?.size ?? 0)) {
      heaviest = {
        at: { file: location.file, pointer: childPointer(location.pointer, '$ref') },
        ref: node.$ref,
        size,
      };
    }
    return size;
  };
  const root = files.entry(documentPath)?.data;
  const size = measure({ file: documentPath, pointer: '' }, root);
  return heaviest ? { size, heaviest } : { size };
}

const count = (n: number): string =>
  Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'infinitely many';

/**
 * The previous verdict on a document in this process, reused while every file it reads holds the very same
 * data (read.ts hands out the same object for an unchanged file): a `--watch` run measures only what an edit
 * touched.
 */
const previousVerdicts = new Map<
  string,
  {
    readonly root: string;
    readonly datas: readonly unknown[];
    readonly budget: number;
    readonly problem: ContractError | undefined;
  }
>();

/**
 * An error when the document expands past MAX_EXPANDED_NODES; undefined otherwise. `closure`: the files the
 * document reads (refs.ts), which decide whether an earlier verdict still holds.
 */
export function expansionProblem(
  files: ContractFiles,
  documentPath: string,
  budget = MAX_EXPANDED_NODES,
  closure: readonly string[] = [documentPath],
): ContractError | undefined {
  const datas = closure.map((file) => files.entry(file)?.data);
  const previous = previousVerdicts.get(documentPath);
  if (
    previous?.budget === budget &&
    previous.root === files.root &&
    previous.datas.length === datas.length &&
    previous.datas.every((data, index) => data === datas[index])
  ) {
    return previous.problem;
  }
  const problem = measuredProblem(files, documentPath, budget);
  if (datas.every((data) => data !== undefined))
    previousVerdicts.set(documentPath, { root: files.root, datas, budget, problem });
  return problem;
}

function measuredProblem(
  files: ContractFiles,
  documentPath: string,
  budget: number,
): ContractError | undefined {
  const { size, heaviest } = expandedSize(files, documentPath);
  if (size <= budget) return undefined;
  const written = `expands to ${count(size)} nodes once every $ref is copied in, over the limit of ${count(budget)}`;
  const hint =
    'the parser, the generated types, validators and docs each copy a referenced schema wherever it is used: reference fewer schemas from schemas that are themselves referenced many times, or flatten the nesting';
  if (!heaviest)
    return contractError(
      files,
      { file: documentPath, pointer: '' },
      'ref-expansion',
      `the document ${written}`,
      hint,
    );
  return contractError(
    files,
    heaviest.at,
    'ref-expansion',
    `the document (${files.display(documentPath)}) ${written}; this $ref "${heaviest.ref}" alone expands to ${count(heaviest.size)}`,
    hint,
  );
}
