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
import { memoOverFiles } from './parse-memo.ts';
import type { Diagnostic } from './types.ts';

/**
 * The largest expanded document accepted: twice the largest public AsyncAPI document in the corpus (97,180
 * nodes, Binance's USD-M futures API); the repository's own largest is 38,868. At the limit, generating one
 * document takes about 5 s and 550 MB (README.md, "Security").
 */
export const MAX_EXPANDED_NODES = 200_000;

/**
 * The deepest nesting accepted once `$ref`s are followed (a recursive schema's cycle is not followed twice). A
 * chain of thousands of schemas each referencing the next overflows the stack of every recursive walk after
 * this one (resolving, types, validators); hand-written contracts nest a few dozen levels.
 */
export const MAX_EXPANDED_DEPTH = 256;

interface Heaviest {
  readonly at: Location;
  readonly ref: string;
  readonly size: number;
}

/** A place written once and copied wherever it is referenced. */
export interface MostCopied {
  readonly at: Location;
  readonly copies: number;
  readonly size: number;
}

export interface Expansion {
  readonly size: number;
  /** The `$ref` whose target expands the most. */
  readonly heaviest?: Heaviest;
  /** With `copies`: the referenced node the expansion copies most often (the bottom of a fan-out). */
  readonly mostCopied?: MostCopied;
  /** The first place found deeper than MAX_EXPANDED_DEPTH; nothing below it is measured. */
  readonly tooDeep?: Location;
}

/** The expanded size of the document; `copies` also finds the referenced node copied most (costs a graph). */
export function expandedSize(files: ContractFiles, documentPath: string, copies = false): Expansion {
  const sizes = new Map<string, number>();
  const expanding = new Set<string>();
  /** Per node, its children once references are followed (back edges of cycles left out); with `copies`. */
  const children = new Map<string, string[]>();
  const places = new Map<string, Location>();
  const referenced = new Set<string>();
  const finished: string[] = [];
  let heaviest: Heaviest | undefined;
  let tooDeep: Location | undefined;
  const measure = (
    location: Location,
    node: unknown,
    depth: number,
  ): { key: string; size: number } | undefined => {
    if (depth > MAX_EXPANDED_DEPTH) {
      tooDeep ??= location;
      return undefined;
    }
    const defined = files.follow(location, node);
    const key = `${defined.file}#${defined.pointer}`;
    const isRef = isRecord(node) && typeof node.$ref === 'string';
    if (isRef) referenced.add(key);
    const known = sizes.get(key);
    if (known !== undefined) return { key, size: known };
    if (expanding.has(key)) return undefined;
    const value = defined.node;
    let size = 1;
    if (typeof value === 'object' && value !== null) {
      expanding.add(key);
      const below: string[] = [];
      for (const [name, child] of Object.entries(value)) {
        const at = { file: defined.file, pointer: childPointer(defined.pointer, name) };
        const measured = measure(at, child, depth + 1);
        size += measured?.size ?? 1;
        if (copies && measured) below.push(measured.key);
      }
      expanding.delete(key);
      if (copies) {
        children.set(key, below);
        places.set(key, defined);
      }
    }
    sizes.set(key, size);
    if (copies) finished.push(key);
    if (isRef && size > (heaviest?.size ?? 0)) {
      heaviest = {
        at: { file: location.file, pointer: childPointer(location.pointer, '$ref') },
        ref: (node as { $ref: string }).$ref,
        size,
      };
    }
    return { key, size };
  };
  const root = files.entry(documentPath)?.data;
  const size = measure({ file: documentPath, pointer: '' }, root, 0)?.size ?? 1;
  const result = { size, ...(heaviest ? { heaviest } : {}), ...(tooDeep ? { tooDeep } : {}) };
  if (!copies) return result;
  // Copies flow from the root down the graph in topological order (reverse of the order nodes finished).
  const copiesOf = new Map<string, number>([[finished[finished.length - 1] ?? '', 1]]);
  for (let i = finished.length - 1; i >= 0; i--) {
    const key = finished[i] as string;
    const own = copiesOf.get(key) ?? 0;
    for (const child of children.get(key) ?? []) copiesOf.set(child, (copiesOf.get(child) ?? 0) + own);
  }
  let mostCopied: MostCopied | undefined;
  for (const key of referenced) {
    const at = places.get(key);
    const count = copiesOf.get(key) ?? 0;
    const nodes = sizes.get(key) ?? 1;
    // Among nodes copied most, the one that weighs most: the schema a reader should look at.
    if (
      at &&
      (!mostCopied || count > mostCopied.copies || (count === mostCopied.copies && nodes > mostCopied.size))
    )
      mostCopied = { at, copies: count, size: nodes };
  }
  return mostCopied ? { ...result, mostCopied } : result;
}

const count = (n: number): string =>
  Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'infinitely many';

/**
 * An error when the document expands past MAX_EXPANDED_NODES; undefined otherwise. `closure`: the files the
 * document reads (refs.ts; by default every file this load has read). Kept by their content (parse-memo.ts): a
 * `--watch` run measures only what an edit touched.
 */
export function expansionProblem(
  files: ContractFiles,
  documentPath: string,
  budget = MAX_EXPANDED_NODES,
  closure: readonly string[] = [...files.texts()].map(([file]) => file),
): Diagnostic | undefined {
  // The memo keeps no undefined: "no problem" is kept as null.
  const problem = memoOverFiles(
    'expansion',
    files,
    documentPath,
    closure,
    budget,
    (view) => measuredProblem(view, documentPath, budget) ?? null,
  );
  return problem ?? undefined;
}

function measuredProblem(files: ContractFiles, documentPath: string, budget: number): Diagnostic | undefined {
  const measured = expandedSize(files, documentPath);
  if (measured.tooDeep) {
    return contractError(
      files,
      measured.tooDeep,
      'ref-expansion',
      `the document (${files.display(documentPath)}) nests deeper than ${MAX_EXPANDED_DEPTH} levels here once its $refs are followed`,
      'shorten the chain of schemas that reference one another; a schema that contains itself should reference itself (recursion is fine), not a copy of itself',
    );
  }
  if (measured.size <= budget) return undefined;
  const { size, heaviest, mostCopied } = expandedSize(files, documentPath, true);
  const written = `expands to ${count(size)} nodes once every $ref is copied in, over the limit of ${count(budget)}`;
  const hint =
    'the parser, the generated types, validators and docs each copy a referenced schema wherever it is used: reference fewer schemas from schemas that are themselves referenced many times, or flatten the nesting';
  const copied = mostCopied
    ? `; the node copied most is ${files.display(mostCopied.at.file)}#${mostCopied.at.pointer} (${count(mostCopied.size)} nodes, ${count(mostCopied.copies)} copies)`
    : '';
  if (!heaviest)
    return contractError(
      files,
      { file: documentPath, pointer: '' },
      'ref-expansion',
      `the document ${written}${copied}`,
      hint,
    );
  return contractError(
    files,
    heaviest.at,
    'ref-expansion',
    `the document (${files.display(documentPath)}) ${written}; this $ref "${heaviest.ref}" alone expands to ${count(heaviest.size)}${copied}`,
    hint,
  );
}
