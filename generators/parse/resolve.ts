/**
 * The resolved form of a document, built from the files as written: every `$ref` replaced by its target
 * (followed from the file that holds it), traits applied and objects given their ids as the AsyncAPI parser
 * does. The model is built from this, so it is the same whether the parser ran in this process or its
 * verdict came from the validation cache.
 *
 * Copies are keyed by the place they were written: a recursive schema becomes a cycle of plain objects and
 * a node referenced twice is one object (a channel's message and the operation's reference to it).
 */
import type { ContractFiles, Location } from './files.ts';
import { childPointer, isRecord } from './pointer.ts';

export const OBJECT_ID = 'x-parser-unique-object-id';

export class ResolvingCopier {
  readonly #copies = new Map<string, unknown>();
  readonly #files: ContractFiles;

  constructor(files: ContractFiles) {
    this.#files = files;
  }

  /** The value written at `location` with its references resolved, or undefined when nothing is there. */
  copy(location: Location): unknown {
    const node = this.#files.nodeAt(location);
    return node === undefined ? undefined : this.#copy(location, node);
  }

  #copy(location: Location, node: unknown): unknown {
    const defined = this.#files.follow(location, node);
    const value = defined.node;
    if (typeof value !== 'object' || value === null) return value;
    const key = `${defined.file}#${defined.pointer}`;
    if (this.#copies.has(key)) return this.#copies.get(key);
    const at = (segment: string | number) => ({
      file: defined.file,
      pointer: childPointer(defined.pointer, segment),
    });
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      this.#copies.set(key, copy);
      for (const [index, item] of value.entries()) copy.push(this.#copy(at(index), item));
      return copy;
    }
    const copy: Record<string, unknown> = {};
    this.#copies.set(key, copy);
    for (const [name, child] of Object.entries(value)) copy[name] = this.#copy(at(name), child);
    return copy;
  }
}

/**
 * JSON Merge Patch as the parser merges traits, except that a value with nothing to merge into is taken as is
 * rather than copied: payloads may be cycles, which a copy would never finish. Inputs are never modified.
 */
function mergePatch(origin: unknown, patch: unknown): unknown {
  if (!isRecord(patch) || !isRecord(origin)) return patch;
  const result: Record<string, unknown> = { ...origin };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Traits first, then the object itself: what the object says wins (AsyncAPI 3 traits merge mechanism). */
function applyTraits(target: Record<string, unknown>): void {
  if (!Array.isArray(target.traits)) return;
  const own = { ...target };
  for (const key of Object.keys(target)) delete target[key];
  for (const layer of [...(own.traits as unknown[]), own]) {
    if (!isRecord(layer)) continue;
    for (const [key, value] of Object.entries(layer)) target[key] = mergePatch(target[key], value);
  }
}

const records = (value: unknown): Array<[string, Record<string, unknown>]> =>
  isRecord(value)
    ? Object.entries(value).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))
    : [];

function giveIds(objects: unknown): void {
  for (const [id, object] of records(objects)) if (!(OBJECT_ID in object)) object[OBJECT_ID] = id;
}

export function resolveDocument(files: ContractFiles, file: string): Record<string, unknown> {
  const resolved = new ResolvingCopier(files).copy({ file, pointer: '' });
  if (!isRecord(resolved)) return {};
  const components = isRecord(resolved.components) ? resolved.components : {};
  // Ids as the parser gives them: channels (and their messages) first, then operations and components.
  for (const channels of [resolved.channels, components.channels]) {
    giveIds(channels);
    for (const [, channel] of records(channels)) giveIds(channel.messages);
  }
  for (const objects of [resolved.operations, components.messages, components.operations]) giveIds(objects);
  const withTraits = new Set<Record<string, unknown>>();
  const visit = (object: Record<string, unknown>) => {
    if (withTraits.has(object)) return;
    withTraits.add(object);
    applyTraits(object);
  };
  for (const operations of [resolved.operations, components.operations]) {
    for (const [, operation] of records(operations)) {
      visit(operation);
      const channel = isRecord(operation.channel) ? operation.channel : {};
      for (const [, message] of records(channel.messages)) visit(message);
      for (const message of Array.isArray(operation.messages) ? operation.messages : [])
        if (isRecord(message)) visit(message);
    }
  }
  for (const channels of [resolved.channels, components.channels]) {
    for (const [, channel] of records(channels))
      for (const [, message] of records(channel.messages)) visit(message);
  }
  for (const [, message] of records(components.messages)) visit(message);
  return resolved;
}
