/**
 * The AsyncAPI parser validates a document against the official JSON Schema of its version (rules
 * `asyncapi-document-resolved` and `-unresolved`). Spectral keeps compiled schemas per document, so every
 * document compiled the 180 KB AsyncAPI 3.0 schema twice: ~0.5 s each, the bulk of a run. These rules do the
 * same validation with one validator per schema per process, and keep the compiled validator as ajv standalone
 * code under node_modules/.cache so the next run loads it instead of compiling it.
 *
 * Relies on the parser's `getSchema` (the schema it prepares for resolved/unresolved documents); when that is
 * not available the parser's own rules stay in place (slower, same result).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import { describeAjvError, errorPointer } from './ajv-messages.ts';
import { defaultCacheDirectory, hashOf, packageVersion } from './cache.ts';
import { parsePointer } from './pointer.ts';

const require = createRequire(import.meta.url);
/** Bump when the generated cache file would change for the same schema. */
const CACHE_FORMAT = 1;

type GetSchema = (formats: Set<unknown>, resolved: boolean) => object | undefined;

interface RuleContext {
  readonly document?: { readonly formats?: Set<unknown> };
  readonly path: readonly (string | number)[];
}

export interface StructureRuleResult {
  readonly message: string;
  readonly path: (string | number)[];
}

function compile(schema: object): ValidateFunction {
  const key = hashOf(CACHE_FORMAT, packageVersion('ajv'), packageVersion('ajv-formats'), schema);
  const file = path.join(defaultCacheDirectory(), `asyncapi-structure-${key}.cjs`);
  if (existsSync(file)) {
    try {
      const cached: unknown = require(file);
      if (typeof cached === 'function') return cached as ValidateFunction;
    } catch {
      // A damaged cache file is rebuilt below.
    }
  }
  // Options as the parser's own validation uses them; the schema comes from @asyncapi/specs and is trusted.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    allowUnionTypes: true,
    unicodeRegExp: false,
    validateSchema: false,
    logger: false,
    code: { source: true },
  });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    // The runtime helpers the code requires are named by absolute path: the cache may live outside
    // node_modules (EVENTWIRE_CACHE_DIR), where bare names do not resolve.
    const code = standaloneCode
      .default(ajv, validate)
      .replace(
        /require\("([^"]+)"\)/g,
        (_, name: string) => `require(${JSON.stringify(require.resolve(name))})`,
      );
    writeFileSync(temporary, code);
    renameSync(temporary, file);
  } catch {
    // No writable cache (read-only install): the validator compiled in memory still works.
  }
  return validate;
}

/** Keeps the deepest, most specific error per place, as the parser does (oneOf/if wrappers add only noise). */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const kept: ErrorObject[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'required' && error.params.missingProperty === '$ref') continue;
    const pointer = errorPointer(error);
    if (seen.has(pointer)) continue;
    seen.add(pointer);
    kept.push(error);
  }
  const pointers = kept.map(errorPointer);
  return kept.filter((error) => {
    if (!['oneOf', 'anyOf', 'if', 'not'].includes(error.keyword)) return true;
    const own = errorPointer(error);
    return !pointers.some((other) => other !== own && other.startsWith(`${own}/`));
  });
}

const isRefError = (error: ErrorObject) =>
  error.keyword === 'additionalProperties' && error.params.additionalProperty === '$ref';

export function createStructureRules(): Record<string, unknown> | undefined {
  let getSchema: GetSchema;
  try {
    ({ getSchema } = require('@asyncapi/parser/cjs/ruleset/functions/documentStructure.js') as {
      getSchema: GetSchema;
    });
  } catch {
    return undefined;
  }
  const validators = new WeakMap<object, ValidateFunction>();
  const validatorFor = (schema: object): ValidateFunction => {
    const validate = validators.get(schema) ?? compile(schema);
    validators.set(schema, validate);
    return validate;
  };
  const structure = (target: unknown, options: { resolved: boolean }, context: RuleContext) => {
    const formats = context.document?.formats;
    const schema = formats ? getSchema(formats, options.resolved) : undefined;
    if (!schema) return [];
    const validate = validatorFor(schema);
    if (validate(target) || !validate.errors) return [];
    // The resolved document reports content errors; the unresolved one only `$ref`s where none is allowed.
    const errors = options.resolved
      ? relevant(validate.errors).filter((e) => !isRefError(e))
      : validate.errors.filter(isRefError);
    return errors.map(
      (error): StructureRuleResult => ({
        message: options.resolved ? describeAjvError(error) : 'a $ref is not allowed here',
        path: [...context.path, ...parsePointer(errorPointer(error))],
      }),
    );
  };
  const rule = (resolved: boolean) => ({
    description: `The ${resolved ? 'resolved' : 'unresolved'} document matches the AsyncAPI JSON Schema.`,
    message: '{{error}}',
    severity: 'error',
    recommended: true,
    given: '$',
    ...(resolved ? {} : { resolved: false }),
    // biome-ignore lint/suspicious/noThenProperty: `then` is what Spectral names a rule's action.
    then: { function: structure, functionOptions: { resolved } },
  });
  return { 'asyncapi-document-resolved': rule(true), 'asyncapi-document-unresolved': rule(false) };
}
