/**
 * Validates an AsyncAPI 3 document without the AsyncAPI parser, with the parser's verdict and error places
 * (proven over every document eventwire knows by verdict-parity.test.ts):
 *   - the document against the official JSON Schema of its version, resolved and as written, by the ajv
 *     standalone validators shipped in precompiled/ (shipped-validators.ts), reporting the errors the parser
 *     reports (schema-error-selection.ts);
 *   - the parser's error-level rules a schema cannot express (v3-rules.ts).
 * The loader has already checked YAML, the version and every `$ref` (prepare.ts). Importing the parser and
 * running its rulesets was most of a cold run; this takes milliseconds per document.
 */
import { hintFor, invalidCode, schemaFormatAround } from './diagnostics.ts';
import { contractError } from './errors.ts';
import type { ContractFiles, Location } from './files.ts';
import { isRecord, pointerOf } from './pointer.ts';
import { selectErrors } from './schema-error-selection.ts';
import { shippedValidators } from './shipped-validators.ts';
import type { Diagnostic } from './types.ts';
import { v3RuleFindings } from './v3-rules.ts';

/**
 * The document with every `$ref` replaced by its target, as the parser's resolver gives it to its rules: no
 * traits applied, and a `$ref` that closes a cycle left as written (the validators would never finish a cycle).
 * A node is one object wherever it is referenced, across the documents of one load too, except the nodes of a
 * cycle (where the cut falls depends on where the walk entered it).
 */
export function resolvedForValidation(files: ContractFiles, file: string): unknown {
  // Copies of nodes free of cycles, shared by the documents of the load (see validator-memo.ts).
  const shared = files.perLoad('copies for validation', () => new Map<string, unknown>());
  const own = new Map<string, unknown>();
  const open: string[] = [];
  const inCycle = new Set<string>();
  const copy = (location: Location, node: unknown): unknown => {
    const defined = files.follow(location, node);
    const value = defined.node;
    if (typeof value !== 'object' || value === null) return value;
    const key = `${defined.file}#${defined.pointer}`;
    if (open.includes(key)) {
      for (const openKey of open) inCycle.add(openKey);
      return node;
    }
    const done = shared.get(key) ?? own.get(key);
    if (done !== undefined) return done;
    open.push(key);
    const child = (segment: string | number) => ({
      file: defined.file,
      pointer: `${defined.pointer}${pointerOf([segment])}`,
    });
    let result: unknown;
    if (Array.isArray(value)) result = value.map((item, index) => copy(child(index), item));
    else {
      const object: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) object[name] = copy(child(name), item);
      result = object;
    }
    open.pop();
    (inCycle.has(key) ? own : shared).set(key, result);
    return result;
  };
  return copy({ file, pointer: '' }, files.nodeAt({ file, pointer: '' }));
}

/** The longest leading part of `path` that exists in `data` (as Spectral's getClosestJsonPath). */
function closestPath(data: unknown, path: readonly string[]): string[] {
  const closest: string[] = [];
  let node = data;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) break;
    node = (node as Record<string, unknown>)[segment];
    closest.push(segment);
  }
  return closest;
}

export interface DirectValidation {
  readonly errors: readonly Diagnostic[];
}

/**
 * The verdict on an AsyncAPI 3.x document, or undefined when no validators ship for its version (the caller
 * asks the parser).
 */
export function validateV3(
  files: ContractFiles,
  absPath: string,
  version: string,
): DirectValidation | undefined {
  const validators = shippedValidators(version);
  if (!validators) return undefined;
  const raw = files.nodeAt({ file: absPath, pointer: '' });
  const resolved = resolvedForValidation(files, absPath);
  const errors = new Map<string, Diagnostic>();
  const report = (path: readonly string[], isResolved: boolean, message: string, hint?: string) => {
    const closest = closestPath(isResolved ? resolved : raw, path);
    const location = isResolved
      ? files.origin(absPath, pointerOf(closest))
      : { file: absPath, pointer: pointerOf(closest) };
    const code = invalidCode(closest);
    const error = contractError(
      files,
      location,
      code,
      message,
      hint ?? hintFor(code, message, schemaFormatAround(files, absPath, closest)),
    );
    errors.set(`${error.file}#${error.pointer}#${message}`, error);
  };
  if (!validators.resolved(resolved))
    for (const { path, message } of selectErrors(validators.resolved.errors ?? [], resolved, true))
      report(path, true, message);
  if (!validators.unresolved(raw))
    for (const { path, message } of selectErrors(validators.unresolved.errors ?? [], raw, false))
      report(path, false, message);
  if (isRecord(raw)) {
    for (const finding of v3RuleFindings(raw, resolved))
      report(finding.path, finding.resolved, finding.message, finding.hint);
  }
  return { errors: [...errors.values()] };
}
