/**
 * Validates every `x-eventwire-*` extension against asyncapi/extensions.schema.json, in every file a document
 * reads (shared parts included), and reports unknown extension names with the closest known one.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { describeAjvError, errorPointer } from '../parse/ajv-messages.ts';
import { childPointer } from '../parse/pointer.ts';
import { memo } from '../pipeline/memo.ts';

export const EXTENSION_PREFIX = 'x-eventwire-';

/**
 * The code of an extension that breaks asyncapi/extensions.schema.json. It names its check rule: the builder
 * finds the problem, and `check` reports it under that rule id (whose severity the configuration may change).
 */
export const INVALID_EXTENSION = 'lint/invalid-extension';

/** Values that are data, not contract structure: an example may hold any key. */
const DATA_KEYS = new Set(['examples', 'example', 'default', 'const', 'enum']);
/** Maps whose keys are names (a property may be called `default`), not keywords. */
const NAME_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'schemas', 'messages']);

export interface ExtensionProblem {
  readonly pointer: string;
  readonly message: string;
  /** What a valid value looks like, when the schema describes it. */
  readonly expected?: string;
  readonly hint?: string;
}

interface ExtensionSchema {
  readonly $id: string;
  readonly definitions: Record<string, unknown>;
}

interface Extensions {
  readonly ajv: Ajv;
  readonly schema: ExtensionSchema;
  readonly validators: Map<string, ValidateFunction | undefined>;
}
let loaded: Extensions | undefined;

function extensions(): Extensions {
  if (loaded) return loaded;
  const url = new URL('../../asyncapi/extensions.schema.json', import.meta.url);
  const schema = JSON.parse(readFileSync(url, 'utf8')) as ExtensionSchema;
  // `locations` documents where each extension goes; it is not a validation keyword. The schema is checked
  // by its own tests, so it is not validated against the meta-schema on every run.
  // `optimize: false` compiles about three times faster; the code only keeps a few unused locals.
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: false,
    logger: false,
    validateSchema: false,
    code: { optimize: false },
  });
  ajv.addSchema(schema);
  loaded = { ajv, schema, validators: new Map() };
  return loaded;
}

/** Compiled on first use: a contract set rarely uses every extension, and compiling is the slow part. */
function validatorFor(name: string): ValidateFunction | undefined {
  const { ajv, schema, validators } = extensions();
  if (!validators.has(name)) {
    const known = name.startsWith(EXTENSION_PREFIX) && Object.hasOwn(schema.definitions, name);
    validators.set(name, known ? ajv.getSchema(`${schema.$id}#/definitions/${name}`) : undefined);
  }
  return validators.get(name);
}

export function knownExtensions(): string[] {
  return Object.keys(extensions().schema.definitions)
    .filter((key) => key.startsWith(EXTENSION_PREFIX))
    .sort();
}

/** True when `value` is a valid `name` extension: the builder reads only valid values (the rest is reported). */
export function isValidExtension(name: string, value: unknown): boolean {
  return validatorFor(name)?.(value) === true;
}

/** Levenshtein distance: how many one-character edits turn `a` into `b` (for "did you mean" hints). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function unknownExtension(name: string, pointer: string): ExtensionProblem {
  const known = knownExtensions();
  const closest = known.map((k) => ({ k, d: editDistance(name, k) })).sort((a, b) => a.d - b.d)[0];
  const hint =
    closest && closest.d <= 4 ? `did you mean ${closest.k}?` : `known extensions: ${known.join(', ')}`;
  return { pointer, message: `unknown extension ${name}`, hint };
}

/**
 * What a valid value looks like, from the schema's own description (`A duration such as 500ms, 1s, 5m or 24h.`):
 * `ttl: 24` must say more than "must be a string". A bare number where a duration is expected gets the number
 * back with a unit to copy.
 */
function expectedForm(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as { description?: unknown; pattern?: unknown } | undefined;
  const description = typeof schema?.description === 'string' ? schema.description : undefined;
  // Only a value of the wrong type needs the form spelled out: a pattern error already quotes the description
  // (describeAjvError) and an enum error lists the values.
  if (!description || error.keyword !== 'type') return undefined;
  const isDuration = schema?.pattern === DURATION_PATTERN;
  if (isDuration && typeof error.data === 'number')
    return `${description} Write it with its unit, quoted: "${error.data}h" or "${error.data}s".`;
  return description;
}
const DURATION_PATTERN = '^[0-9]+(ms|s|m|h)$';

/**
 * Every problem with the extensions written in one file's data (pointers are relative to the file). Kept by the
 * data (the memo): a `--watch` load checks only the files an edit changed.
 */
export function checkExtensions(data: unknown): ExtensionProblem[] {
  if (typeof data !== 'object' || data === null) return findProblems(data);
  return [...memo('model:extensions', data, findProblems)];
}

function findProblems(data: unknown): ExtensionProblem[] {
  const problems: ExtensionProblem[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown, pointer: string, namesOnly = false): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, childPointer(pointer, index));
      return;
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const at = childPointer(pointer, key);
      if (namesOnly || !key.startsWith(EXTENSION_PREFIX)) {
        if (namesOnly || !DATA_KEYS.has(key)) walk(value, at, !namesOnly && NAME_MAPS.has(key));
        continue;
      }
      const validate = validatorFor(key);
      if (!validate) {
        problems.push(unknownExtension(key, at));
      } else if (!validate(value)) {
        for (const error of validate.errors ?? []) {
          const expected = expectedForm(error);
          problems.push({
            pointer: at + errorPointer(error),
            message: `${key}: ${describeAjvError(error)}`,
            ...(expected ? { expected } : {}),
          });
        }
      }
    }
  };
  walk(data, '');
  return problems;
}
