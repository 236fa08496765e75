/**
 * The AsyncAPI parser validates a document against the official JSON Schema of its version (rules
 * `asyncapi-document-resolved` and `-unresolved`). Spectral keeps compiled schemas per document, so every
 * document compiled the 180 KB AsyncAPI 3.0 schema twice: ~0.5 s each, the bulk of a run. These rules do the
 * same validation with one validator per schema per process, compiled ahead of time (see structure-validators.ts).
 *
 * Relies on the parser's `getSchema` (the schema it prepares for resolved/unresolved documents); when that is
 * not available the parser's own rules stay in place (slower, same result).
 */
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { selectErrors } from './schema-error-selection.ts';
import { structureValidator } from './structure-validators.ts';

const require = createRequire(import.meta.url);

type GetSchema = (formats: Set<unknown>, resolved: boolean) => object | undefined;

interface RuleContext {
  readonly document?: { readonly formats?: Set<unknown> };
  readonly path: readonly (string | number)[];
}

export interface StructureRuleResult {
  readonly message: string;
  readonly path: (string | number)[];
}

function parserGetSchema(): GetSchema | undefined {
  try {
    return (
      require('@asyncapi/parser/cjs/ruleset/functions/documentStructure.js') as { getSchema: GetSchema }
    ).getSchema;
  } catch {
    return undefined;
  }
}

/** The schemas the parser validates documents of an AsyncAPI version against (resolved, unresolved). */
export function structureSchemas(version: string): { resolved: object; unresolved: object } | undefined {
  const getSchema = parserGetSchema();
  const { AsyncAPIFormats } = require('@asyncapi/parser/cjs/ruleset/formats.js') as {
    AsyncAPIFormats: Map<string, unknown>;
  };
  const format = AsyncAPIFormats.get(version);
  if (!getSchema || !format) return undefined;
  const resolved = getSchema(new Set([format]), true);
  const unresolved = getSchema(new Set([format]), false);
  return resolved && unresolved ? { resolved, unresolved } : undefined;
}

export function createStructureRules(): Record<string, unknown> | undefined {
  const getSchema = parserGetSchema();
  if (!getSchema) return undefined;
  const validators = new WeakMap<object, ValidateFunction>();
  const validatorFor = (schema: object): ValidateFunction => {
    const validate = validators.get(schema) ?? structureValidator(schema);
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
    return selectErrors(validate.errors, target, options.resolved).map(
      ({ path, message }): StructureRuleResult => ({ message, path: [...context.path, ...path] }),
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
