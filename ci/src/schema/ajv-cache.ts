/**
 * Compiled ajv validators, one per schema object and reused for every example of it.
 *
 * Model schemas are resolved object graphs and may be cyclic, which ajv cannot compile directly: objects
 * reached twice (shared or recursive) are turned back into `$defs` entries referenced by `$ref`. Identity
 * keywords (`$id`, `$schema`, `$defs`) are dropped from the copy, since they would re-base those references.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../../../generators/model/types.ts';
import { isSchemaObject, SCHEMA_KEYWORDS, type SchemaObject } from './keywords.ts';

const SINGLE = new Set<string>(SCHEMA_KEYWORDS);
const LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas', 'dependencies']);
const DROPPED = new Set(['$id', '$schema', '$anchor', '$defs', 'definitions', '$dynamicAnchor']);

function childSchemas(s: SchemaObject): unknown[] {
  const out: unknown[] = [];
  for (const [k, v] of Object.entries(s)) {
    if (DROPPED.has(k)) continue;
    if (SINGLE.has(k) && !Array.isArray(v)) out.push(v);
    else if (LISTS.has(k) && Array.isArray(v)) out.push(...v);
    else if (MAPS.has(k) && isSchemaObject(v)) out.push(...Object.values(v).filter((x) => !Array.isArray(x)));
  }
  return out.filter(isSchemaObject);
}

/** A tree-shaped copy of a possibly cyclic schema graph, with shared nodes as `$defs`. */
export function toAjvSchema(root: JsonSchema): JsonSchema {
  if (typeof root === 'boolean') return root;
  const seen = new Set<object>();
  const shared = new Set<object>();
  const stack: SchemaObject[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as SchemaObject;
    if (seen.has(node)) {
      shared.add(node);
      continue;
    }
    seen.add(node);
    stack.push(...(childSchemas(node) as SchemaObject[]));
  }
  const names = new Map<object, string>([...shared].filter((n) => n !== root).map((n, i) => [n, `node${i}`]));
  const copy = (node: unknown, top: boolean): unknown => {
    if (!isSchemaObject(node)) return node;
    if (node === root && !top) return { $ref: '#' };
    const name = names.get(node);
    if (name !== undefined && !top) return { $ref: `#/$defs/${name}` };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (DROPPED.has(k)) continue;
      if (SINGLE.has(k) && !Array.isArray(v)) out[k] = copy(v, false);
      else if (LISTS.has(k) && Array.isArray(v)) out[k] = v.map((x) => copy(x, false));
      else if (MAPS.has(k) && isSchemaObject(v)) {
        out[k] = Object.fromEntries(
          Object.entries(v).map(([p, x]) => [p, Array.isArray(x) ? x : copy(x, false)]),
        );
      } else out[k] = v;
    }
    return out;
  };
  const result = copy(root, true) as Record<string, unknown>;
  if (names.size > 0)
    result.$defs = Object.fromEntries([...names].map(([node, name]) => [name, copy(node, true)]));
  return result;
}

type Draft = '07' | '2019' | '2020';

/** Draft from an AsyncAPI `schemaFormat`; the AsyncAPI schema format is a superset of draft-07. */
export function draftOf(schemaFormat: string): Draft | undefined {
  const format = schemaFormat.toLowerCase();
  if (format.includes('2020-12')) return '2020';
  if (format.includes('2019-09')) return '2019';
  if (
    format === '' ||
    format.includes('vnd.aai.asyncapi') ||
    format.includes('schema+json') ||
    format.includes('schema+yaml')
  )
    return '07';
  return undefined;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const instances = new Map<Draft, Ajv>();
function ajvFor(draft: Draft): Ajv {
  let ajv = instances.get(draft);
  if (!ajv) {
    // `optimize: false` compiles about three times faster (the meta-schema on every cold run among them); the
    // code only keeps a few unused locals.
    const options = { strict: false, allErrors: true, validateFormats: true, code: { optimize: false } };
    ajv =
      draft === '2020' ? new Ajv2020(options) : draft === '2019' ? new Ajv2019(options) : new Ajv(options);
    addFormats(ajv);
    instances.set(draft, ajv);
  }
  return ajv;
}

export type CompiledSchema =
  | { readonly ok: true; readonly validate: ValidateFunction }
  | { readonly ok: false; readonly error: string };

const compiled = new WeakMap<object, Map<Draft, CompiledSchema>>();
const BOOLEAN_KEY = { true: {}, false: {} };

export function compileSchema(schema: JsonSchema, draft: Draft): CompiledSchema {
  const key = typeof schema === 'boolean' ? BOOLEAN_KEY[String(schema) as 'true' | 'false'] : schema;
  let byDraft = compiled.get(key);
  if (!byDraft) {
    byDraft = new Map();
    compiled.set(key, byDraft);
  }
  let result = byDraft.get(draft);
  if (!result) {
    try {
      result = {
        ok: true,
        validate: ajvFor(draft).compile(toAjvSchema(schema) as object | boolean as object),
      };
    } catch (error) {
      result = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    byDraft.set(draft, result);
  }
  return result;
}

export function describeAjvError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${where} must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `${where} has property \`${params.additionalProperty}\`, which the schema does not allow`;
  }
  return `${where} ${e.message ?? `fails \`${e.keyword}\``}`;
}
