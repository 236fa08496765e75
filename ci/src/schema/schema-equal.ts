/**
 * Structural equality of two resolved schemas, ignoring annotations (descriptions, titles, examples, x-*) and
 * the order of `required`, `enum`, `type` and of the members of allOf/anyOf/oneOf.
 *
 * It is the fast path of the subset engine ("moved to a component", "only the description changed") and how
 * opaque keywords (`not`, `if`/`then`/`else`, `dependentSchemas`) are matched across two schemas. Cycles are
 * handled co-inductively: a pair already being compared is assumed equal.
 */
import type { JsonSchema } from '../../../generators/model/types.ts';
import {
  asSchema,
  isAnnotation,
  SCHEMA_KEYWORDS,
  isSchemaObject,
  jsonEqual,
  type SchemaObject,
  schemaId,
} from './keywords.ts';

const UNORDERED_DATA = new Set(['required', 'enum', 'type']);
// `items` is compared apart: it may be one schema or (draft-07 tuples) a list.
const SCHEMA_VALUED = new Set<string>(SCHEMA_KEYWORDS.filter((k) => k !== 'items'));
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas']);

export function schemaEqual(a: JsonSchema, b: JsonSchema): boolean {
  return equalAt(a, b, new Set());
}

function equalAt(a: JsonSchema, b: JsonSchema, inProgress: Set<string>): boolean {
  if (a === b) return true;
  if (typeof a === 'boolean' || typeof b === 'boolean') return normalizeBoolean(a) === normalizeBoolean(b);
  const key = `${schemaId(a)}|${schemaId(b)}`;
  if (inProgress.has(key)) return true;
  inProgress.add(key);
  try {
    const ak = assertionKeys(a);
    const bk = assertionKeys(b);
    if (ak.length !== bk.length || ak.some((k, i) => k !== bk[i])) return false;
    return ak.every((k) => keywordEqual(k, a[k], b[k], inProgress));
  } finally {
    inProgress.delete(key);
  }
}

/** `{}` equals `true`; any other object is not a boolean schema. */
function normalizeBoolean(s: JsonSchema): boolean | 'object' {
  if (typeof s === 'boolean') return s;
  return assertionKeys(s).length === 0 ? true : 'object';
}

function assertionKeys(s: SchemaObject): string[] {
  return Object.keys(s)
    .filter((k) => !isAnnotation(k))
    .sort();
}

function keywordEqual(keyword: string, a: unknown, b: unknown, inProgress: Set<string>): boolean {
  if (UNORDERED_DATA.has(keyword)) return sameSet(toList(a), toList(b));
  if (SCHEMA_VALUED.has(keyword) || (keyword === 'items' && !Array.isArray(a) && !Array.isArray(b))) {
    const sa = asSchema(a);
    const sb = asSchema(b);
    return sa !== undefined && sb !== undefined && equalAt(sa, sb, inProgress);
  }
  if (SCHEMA_LISTS.has(keyword)) return unorderedSchemaListEqual(a, b, inProgress);
  if (keyword === 'items' || keyword === 'prefixItems') return orderedSchemaListEqual(a, b, inProgress);
  if (SCHEMA_MAPS.has(keyword) || keyword === 'dependencies') return schemaMapEqual(a, b, inProgress);
  return jsonEqual(a, b);
}

function toList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

function sameSet(a: unknown[], b: unknown[]): boolean {
  return a.every((x) => b.some((y) => jsonEqual(x, y))) && b.every((y) => a.some((x) => jsonEqual(x, y)));
}

function orderedSchemaListEqual(a: unknown, b: unknown, inProgress: Set<string>): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((x, i) => {
    const sa = asSchema(x);
    const sb = asSchema(b[i]);
    return sa !== undefined && sb !== undefined && equalAt(sa, sb, inProgress);
  });
}

/** Members of allOf/anyOf/oneOf in any order: a greedy one-to-one matching is enough for equality. */
function unorderedSchemaListEqual(a: unknown, b: unknown, inProgress: Set<string>): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  const used = new Set<number>();
  return a.every((x) => {
    const sa = asSchema(x);
    if (sa === undefined) return false;
    const index = b.findIndex((y, j) => {
      if (used.has(j)) return false;
      const sb = asSchema(y);
      return sb !== undefined && equalAt(sa, sb, inProgress);
    });
    if (index < 0) return false;
    used.add(index);
    return true;
  });
}

function schemaMapEqual(a: unknown, b: unknown, inProgress: Set<string>): boolean {
  if (!isSchemaObject(a) || !isSchemaObject(b)) return false;
  const ak = Object.keys(a).sort();
  const bk = Object.keys(b).sort();
  if (ak.length !== bk.length || ak.some((k, i) => k !== bk[i])) return false;
  return ak.every((k) => {
    if (Array.isArray(a[k]) || Array.isArray(b[k])) return jsonEqual(a[k], b[k]);
    const sa = asSchema(a[k]);
    const sb = asSchema(b[k]);
    return sa !== undefined && sb !== undefined && equalAt(sa, sb, inProgress);
  });
}
