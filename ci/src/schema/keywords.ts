/**
 * Keyword tables shared by the schema engine (subset, evaluation, equality, ajv conversion).
 *
 * Schemas reach the checks resolved: `$ref`s are replaced by the target objects, so a recursive schema is a
 * cyclic object graph. Everything that walks schemas must therefore know which keyword values are schemas
 * (and recurse with a visited set) and which are plain data (`enum`, `const`, `default`, `examples`).
 */
import type { JsonSchema } from '../../../generators/model/types.ts';

export type SchemaObject = { readonly [key: string]: unknown };

/** Keywords whose value is one schema. */
export const SCHEMA_KEYWORDS = [
  'additionalProperties',
  'additionalItems',
  'items',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedProperties',
  'unevaluatedItems',
] as const;

/** Keywords whose value is an array of schemas (`items` may be one too, in draft-07 tuple form). */
export const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'] as const;

/** Keywords whose value maps names to schemas. */
export const SCHEMA_MAP_KEYWORDS = [
  'properties',
  'patternProperties',
  'dependentSchemas',
  'dependencies',
  '$defs',
  'definitions',
] as const;

/**
 * Keywords that never change which instances a schema accepts: documentation, code-generation hints and
 * AsyncAPI additions. Schemas differing only here are equal for every check.
 */
export const ANNOTATION_KEYWORDS = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'default',
  'examples',
  'example',
  'deprecated',
  'readOnly',
  'writeOnly',
  'externalDocs',
  'discriminator',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'nullable',
  'tsType',
]);

export function isAnnotation(keyword: string): boolean {
  return ANNOTATION_KEYWORDS.has(keyword) || keyword.startsWith('x-');
}

export function isSchemaObject(schema: unknown): schema is SchemaObject {
  return typeof schema === 'object' && schema !== null && !Array.isArray(schema);
}

export function asSchema(value: unknown): JsonSchema | undefined {
  if (typeof value === 'boolean') return value;
  return isSchemaObject(value) ? value : undefined;
}

/** True for `true`, `{}` and schemas holding only annotations: they accept every instance. */
export function acceptsEverything(schema: JsonSchema): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  return Object.keys(schema).every(isAnnotation);
}

export type TypeName = 'null' | 'boolean' | 'object' | 'array' | 'number' | 'integer' | 'string';

export const ALL_TYPES: readonly TypeName[] = [
  'null',
  'boolean',
  'object',
  'array',
  'number',
  'integer',
  'string',
];

/** JSON type of a value; integers report `integer` (they are numbers too: see typeMatches). */
export function jsonTypeOf(value: unknown): TypeName | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return undefined;
}

/** Identity numbers for schema objects, so sets of schemas can be memo keys. */
const ids = new WeakMap<object, number>();
let nextId = 1;
export function schemaId(schema: JsonSchema): string {
  if (typeof schema === 'boolean') return schema ? 'T' : 'F';
  let id = ids.get(schema);
  if (id === undefined) {
    id = nextId++;
    ids.set(schema, id);
  }
  return String(id);
}

/** RFC 6901 escaping of one pointer segment. */
export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]));
  }
  const ak = Object.keys(a as object);
  const bo = b as Record<string, unknown>;
  return (
    ak.length === Object.keys(bo).length &&
    ak.every((k) => Object.hasOwn(bo, k) && jsonEqual((a as Record<string, unknown>)[k], bo[k]))
  );
}

/** Patterns that match every string, written by authors who meant "any string". */
export function isTrivialPattern(pattern: string): boolean {
  return ['', '.*', '^.*$', '^.*', '.*$', '[\\s\\S]*', '^[\\s\\S]*$'].includes(pattern);
}

const regexCache = new Map<string, RegExp | null>();
/** JSON Schema patterns are ECMA-262 regexes with the unicode flag; an invalid one yields null. */
export function compilePattern(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    regexCache.set(pattern, re);
  }
  return re;
}
