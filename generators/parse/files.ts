/**
 * Every contract file read during one load, shared by all documents: a file referenced by twenty services is read
 * and parsed once. It follows `$ref`s on the documents as written, which is how a node of the resolved document
 * is traced back to the file and pointer where it was written (its origin).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RefsRoots } from './confine.ts';
import { locate, type Position, type SyntaxTree, syntaxTree } from './locate.ts';
import { childPointer, isRecord, parsePointer, valueAt } from './pointer.ts';
import { type DataCache, MAX_CONTRACT_SET_BYTES, type ReadProblem, readContractFile } from './read.ts';

const setTooLarge: ReadProblem = {
  ok: false,
  code: 'file-too-large',
  message: `the contracts read in one run add up to more than ${MAX_CONTRACT_SET_BYTES / 1024 / 1024} MiB, the most eventwire reads`,
  hint: 'generate or check the contracts in several runs (one folder each), or trim what they reference',
};

export interface FileEntry {
  readonly ok: true;
  readonly absPath: string;
  readonly display: string;
  /** The text as read (BOM removed): what the AsyncAPI parser is given. */
  readonly text: string;
  readonly data: unknown;
  /** A hash of the file's bytes (read.ts): what steps kept by this file's content are keyed by. */
  readonly hash: string;
  /** A converted 1.x/2.x document: its pointers do not match the text, so it has no positions. */
  readonly converted?: boolean;
  /** Built on first use by `locate`. */
  tree?: SyntaxTree;
}

/** A place in a file: absolute path + JSON pointer. */
export interface Location {
  readonly file: string;
  readonly pointer: string;
}

export type RefTarget =
  | { readonly kind: 'target'; readonly file: string; readonly pointer: string }
  | { readonly kind: 'remote'; readonly url: string }
  | { readonly kind: 'invalid'; readonly reason: string };

const MAX_REF_HOPS = 64;
/** Suffix of the key of a converted view of a file (never a real path: it holds a NUL). */
const CONVERTED = '\u0000converted';

function decode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export class ContractFiles {
  readonly root: string;
  readonly #reads = new Map<string, Promise<FileEntry | ReadProblem>>();
  #entries = new Map<string, FileEntry>();
  /** Work shared by the documents of this load (found `$ref` targets, copies for validation), by name. */
  #perLoad = new Map<string, unknown>();
  /** A confined view (`confinedTo`): the only files it may read. */
  #allowed: ReadonlySet<string> | undefined;

  readonly #cache: DataCache | undefined;
  /** Characters read in this load, against MAX_CONTRACT_SET_BYTES. */
  #characters = 0;
  /** resolveRef by file and `$ref` (path arithmetic only): documents share most references. */
  static readonly #refTargets = new Map<string, RefTarget>();

  /** Where `$ref`s may lead (confine.ts); undefined: anywhere (tools that read one trusted file). */
  readonly refsRoots: RefsRoots | undefined;

  /** `cache` keeps parsed YAML across runs (see read.ts). */
  constructor(root: string, cache?: DataCache, refsRoots?: RefsRoots) {
    this.root = path.resolve(root);
    this.#cache = cache;
    this.refsRoots = refsRoots;
  }

  /** A path for messages: relative to the root when inside it, else absolute. */
  shown(absPath: string): string {
    const near = path.relative(this.root, absPath);
    return near === '' ? '.' : near.startsWith('..') ? absPath : near.split(path.sep).join('/');
  }

  /** Path relative to the root with POSIX separators: stable across machines, used in every report. */
  display(absPath: string): string {
    const real = ContractFiles.realPath(absPath);
    return path.relative(this.root, real).split(path.sep).join('/') || path.basename(real);
  }

  /** The file behind a key: converted views are keyed `<path>` + CONVERTED. */
  static realPath(key: string): string {
    return key.endsWith(CONVERTED) ? key.slice(0, -CONVERTED.length) : key;
  }

  absolute(displayPath: string): string {
    return path.resolve(this.root, displayPath);
  }

  /**
   * A view of this load that reads only `files` (and their converted views): what a step kept by the content of
   * those files computes with (parse-memo.ts). Reading any other file is a bug in that step's key, and throws.
   */
  confinedTo(files: readonly string[]): ContractFiles {
    const view = new ContractFiles(this.root, this.#cache, this.refsRoots);
    view.#entries = this.#entries;
    view.#perLoad = this.#perLoad;
    view.#allowed = new Set(files.flatMap((file) => [file, file + CONVERTED]));
    return view;
  }

  /** Work the documents of this load share, made on first use. */
  perLoad<T>(name: string, create: () => T): T {
    if (!this.#perLoad.has(name)) this.#perLoad.set(name, create());
    return this.#perLoad.get(name) as T;
  }

  #entry(file: string): FileEntry | undefined {
    if (this.#allowed && !this.#allowed.has(file))
      throw new Error(`a parse step read ${file}, which is not among the inputs it is kept by`);
    return this.#entries.get(file);
  }

  read(absPath: string): Promise<FileEntry | ReadProblem> {
    if (this.#allowed)
      return Promise.resolve(
        this.#entry(absPath) ?? { ok: false, code: 'file-not-found', message: 'file not found' },
      );
    let pending = this.#reads.get(absPath);
    if (!pending) {
      pending = readContractFile(absPath, this.#cache).then((result): FileEntry | ReadProblem => {
        if (!result.ok) return result;
        this.#characters += result.text.length;
        if (this.#characters > MAX_CONTRACT_SET_BYTES) return setTooLarge;
        const entry: FileEntry = {
          ok: true,
          absPath,
          display: this.display(absPath),
          text: result.text,
          data: result.data,
          hash: result.hash,
        };
        this.#entries.set(absPath, entry);
        return entry;
      });
      this.#reads.set(absPath, pending);
    }
    return pending;
  }

  /** Every file read so far (converted views excluded), with its text. */
  *texts(): Iterable<readonly [string, string]> {
    for (const [key, entry] of this.#entries)
      if (!key.endsWith(CONVERTED) && (this.#allowed?.has(key) ?? true)) yield [key, entry.text];
  }

  entry(absPath: string): FileEntry | undefined {
    return this.#entry(absPath);
  }

  /**
   * A 1.x/2.x document converted to 3.0, kept beside the file as written: pointers into it refer to the
   * converted layout (no lines), while errors about the original still point at its text. Returns its key.
   */
  addConverted(absPath: string, data: unknown): string {
    const key = absPath + CONVERTED;
    const original = this.#entry(absPath);
    this.#entries.set(key, {
      ok: true,
      absPath: key,
      display: this.display(absPath),
      text: original?.text ?? '',
      data,
      hash: `${original?.hash ?? ''}${CONVERTED}`,
    });
    return key;
  }

  /** Whether the file was converted: pointers about it may then refer to the converted layout. */
  hasConvertedView(absPath: string): boolean {
    return this.#entry(absPath + CONVERTED) !== undefined;
  }

  resolveRef(fromFile: string, ref: string): RefTarget {
    const key = `${fromFile}\u0000${ref}`;
    let target = ContractFiles.#refTargets.get(key);
    if (!target) {
      target = this.#resolveRef(fromFile, ref);
      ContractFiles.#refTargets.set(key, target);
    }
    return target;
  }

  #resolveRef(fromFile: string, ref: string): RefTarget {
    const hash = ref.indexOf('#');
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = decode(hash < 0 ? '' : ref.slice(hash + 1));
    if (fragment !== '' && !fragment.startsWith('/')) {
      return {
        kind: 'invalid',
        reason: `the fragment "#${fragment}" is not a JSON pointer (it must start with "/")`,
      };
    }
    let file = fromFile;
    if (/^[a-z][a-z0-9+.-]+:/i.test(filePart)) {
      if (!filePart.toLowerCase().startsWith('file:')) return { kind: 'remote', url: ref };
      file = fileURLToPath(filePart);
    } else if (filePart !== '') {
      file = path.resolve(path.dirname(fromFile), decode(filePart));
    }
    return { kind: 'target', file, pointer: fragment };
  }

  nodeAt(location: Location): unknown {
    const entry = this.#entry(location.file);
    return entry ? valueAt(entry.data, location.pointer) : undefined;
  }

  /** Follows a chain of `$ref`s starting at `node` to the place that defines it. */
  follow(location: Location, node: unknown): Location & { readonly node: unknown } {
    let current = { ...location, node };
    const seen = new Set<string>();
    for (
      let hop = 0;
      hop < MAX_REF_HOPS && isRecord(current.node) && typeof current.node.$ref === 'string';
      hop++
    ) {
      const target = this.resolveRef(current.file, current.node.$ref);
      if (target.kind !== 'target') break;
      const key = `${target.file}#${target.pointer}`;
      const next = this.nodeAt(target);
      if (next === undefined || seen.has(key)) break;
      seen.add(key);
      current = { file: target.file, pointer: target.pointer, node: next };
    }
    return current;
  }

  /**
   * Walks `pointer` from the top of `file`, following each `$ref` met on the way (as the parser resolves
   * documents: `#/channels/echo/messages/x` works when `channels.echo` is itself a `$ref`). A `$ref` is not
   * followed when the next step is the `$ref` key itself. Returns how far the walk got.
   */
  #walk(file: string, pointer: string): { reached: Location & { readonly node: unknown }; consumed: number } {
    let reached: Location & { readonly node: unknown } = {
      file,
      pointer: '',
      node: this.#entry(file)?.data,
    };
    const segments = parsePointer(pointer);
    for (const [index, segment] of segments.entries()) {
      if (segment !== '$ref') reached = this.follow(reached, reached.node);
      const node = reached.node;
      const child = Array.isArray(node)
        ? node[Number(segment)]
        : isRecord(node) && Object.hasOwn(node, segment)
          ? node[segment]
          : undefined;
      if (child === undefined) return { reached, consumed: index };
      reached = { file: reached.file, pointer: childPointer(reached.pointer, segment), node: child };
    }
    return { reached, consumed: segments.length };
  }

  /** The node at `location` (following `$ref`s on the way), or undefined when the path does not exist. */
  resolve(location: Location): (Location & { readonly node: unknown }) | undefined {
    const { reached, consumed } = this.#walk(location.file, location.pointer);
    return consumed === parsePointer(location.pointer).length && reached.node !== undefined
      ? reached
      : undefined;
  }

  /** How many leading segments of `location.pointer` exist (following `$ref`s on the way). */
  existingDepth(location: Location): number {
    return this.#walk(location.file, location.pointer).consumed;
  }

  /** Where the node at `pointer` of a document (as resolved by the parser) was written. */
  origin(file: string, pointer: string): Location {
    const { reached, consumed } = this.#walk(file, pointer);
    const segments = parsePointer(pointer);
    if (consumed < segments.length) {
      return { file: reached.file, pointer: childPointer(reached.pointer, ...segments.slice(consumed)) };
    }
    const defined = this.follow(reached, reached.node);
    return { file: defined.file, pointer: defined.pointer };
  }

  locate(location: Location): Position | undefined {
    const entry = this.#entry(location.file);
    if (!entry || entry.converted) return undefined;
    entry.tree ??= syntaxTree(entry.text);
    return locate(entry.tree.yaml, entry.tree.lines, location.pointer);
  }
}
