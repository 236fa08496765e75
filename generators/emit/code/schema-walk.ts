/**
 * Knows which JSON Schema keywords hold subschemas, so walkers visit schemas and never data: `enum`, `const`,
 * `default` and `examples` may contain objects that look like schemas but are values.
 */
import type { JsonSchema } from '../../model/types.ts';

export type SchemaObject = { readonly [key: string]: unknown };

/** Keywords whose value is one subschema. */
const SINGLE = [
  'additionalItems',
  'additionalProperties',
  'contains',
  'contentSchema',
  'else',
  'if',
  'items',
  'not',
  'propertyNames',
  'then',
  'unevaluatedItems',
  'unevaluatedProperties',
] as const;

/** Keywords whose value is an array of subschemas (`items` may be either form, older drafts' tuples). */
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'] as const;

/** Keywords whose value maps names to subschemas (`dependencies` values may also be string arrays). */
const MAP = [
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
  'patternProperties',
  'properties',
] as const;

/** Every keyword whose value holds subschemas (its container is copied shallowly, the subschemas cloned). */
export const SUBSCHEMA_KEYWORDS: ReadonlySet<string> = new Set<string>([...SINGLE, ...LIST, ...MAP]);

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || isSchemaObject(value);
}

/** One subschema position: the path segments from the parent schema (`['properties', 'name']`). */
export interface SubschemaSlot {
  readonly path: readonly string[];
  readonly schema: JsonSchema;
}

/** Keywords holding named definitions: after the model resolved every `$ref`, nothing points into them. */
export const DEFINITION_KEYWORDS: ReadonlySet<string> = new Set(['$defs', 'definitions']);

/**
 * The direct subschemas of a schema object, in keyword order of the source (stable for a given model).
 * `withDefinitions: false` skips `$defs`/`definitions`, which are unreachable once refs are resolved.
 */
export function subschemas(schema: SchemaObject, withDefinitions = true): SubschemaSlot[] {
  const slots: SubschemaSlot[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if (!withDefinitions && DEFINITION_KEYWORDS.has(keyword)) continue;
    if ((SINGLE as readonly string[]).includes(keyword) && isSchema(value)) {
      slots.push({ path: [keyword], schema: value });
    }
    if ((LIST as readonly string[]).includes(keyword) && Array.isArray(value)) {
      value.forEach((item, index) => {
        if (isSchema(item)) slots.push({ path: [keyword, String(index)], schema: item });
      });
    }
    if ((MAP as readonly string[]).includes(keyword) && isSchemaObject(value)) {
      for (const [name, item] of Object.entries(value)) {
        if (isSchema(item) && !Array.isArray(item)) slots.push({ path: [keyword, name], schema: item });
      }
    }
  }
  return slots;
}

/** Sets a subschema at a slot path inside a (mutable, freshly cloned) schema object. */
export function setSubschema(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [keyword, key] = path;
  if (keyword === undefined) return;
  if (key === undefined) {
    target[keyword] = value;
    return;
  }
  const container = target[keyword];
  if (Array.isArray(container)) container[Number(key)] = value;
  else if (isSchemaObject(container)) (container as Record<string, unknown>)[key] = value;
}

/** The first `$ref` left in a schema (the model resolves them all, so one left is a contract or model error). */
export function firstUnresolvedRef(schema: JsonSchema): string | undefined {
  const seen = new Set<SchemaObject>();
  const visit = (node: JsonSchema): string | undefined => {
    if (!isSchemaObject(node) || seen.has(node)) return undefined;
    seen.add(node);
    if (typeof node.$ref === 'string') return node.$ref;
    for (const slot of subschemas(node, false)) {
      const found = visit(slot.schema);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(schema);
}
