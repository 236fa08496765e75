/**
 * Payload schemas for the model: copied from the files as written (parse/resolve.ts), plus what the model
 * derives from them. A recursive schema is a cycle of plain objects; a schema shared by two messages is one
 * object.
 */
import { escapeSegment, isRecord } from '../parse/pointer.ts';
import { editDistance } from './extensions.ts';
import type { JsonSchema } from './types.ts';

/** A deep copy of a parser-resolved value without the parser's `x-parser-*` annotations (cycles kept). */
export function withoutParserAnnotations(value: unknown, copies = new Map<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (copies.has(value)) return copies.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value) copy.push(withoutParserAnnotations(item, copies));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  for (const [key, child] of Object.entries(value)) {
    if (!key.startsWith('x-parser-')) copy[key] = withoutParserAnnotations(child, copies);
  }
  return copy;
}

const SAME_PLACE = ['allOf', 'anyOf', 'oneOf'] as const;
const ANY_KEY = ['additionalProperties', 'additionalItems', 'unevaluatedProperties'] as const;

/**
 * JSON pointers into the payload data of the properties marked `x-eventwire-pii` (`/customer/email`); a `*`
 * segment stands for any array index or map key. Combinators (allOf/anyOf/oneOf, if/then/else) describe the
 * same place, so their properties count too.
 */
export function piiFields(schema: JsonSchema): string[] {
  const found = new Set<string>();
  const onPath = new Set<object>();
  const walk = (node: unknown, path: string): void => {
    if (!isRecord(node) || onPath.has(node)) return;
    onPath.add(node);
    if (typeof node['x-eventwire-pii'] === 'string') found.add(path);
    if (isRecord(node.properties)) {
      for (const [name, child] of Object.entries(node.properties))
        walk(child, `${path}/${escapeSegment(name)}`);
    }
    if (isRecord(node.patternProperties))
      for (const child of Object.values(node.patternProperties)) walk(child, `${path}/*`);
    for (const key of ANY_KEY) walk(node[key], `${path}/*`);
    const tuple = [node.items, node.prefixItems].find(Array.isArray) as unknown[] | undefined;
    for (const [index, child] of (tuple ?? []).entries()) walk(child, `${path}/${index}`);
    if (!Array.isArray(node.items)) walk(node.items, `${path}/*`);
    for (const key of SAME_PLACE)
      if (Array.isArray(node[key])) for (const child of node[key]) walk(child, path);
    for (const key of ['if', 'then', 'else'] as const) walk(node[key], path);
    onPath.delete(node);
  };
  walk(schema, '');
  return [...found].sort();
}

/** Keywords whose values are schemas (or maps/lists of schemas): a cycle through them is a recursive type. */
const SCHEMA_KEYWORDS = new Set([
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependencies',
  'definitions',
  '$defs',
]);
const MAP_KEYWORDS = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  'dependencies',
  'definitions',
  '$defs',
]);

function reachesCycle(value: unknown, onPath: Set<object>): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (onPath.has(value)) return true;
  onPath.add(value);
  try {
    return Object.values(value).some((child) => reachesCycle(child, onPath));
  } finally {
    onPath.delete(value);
  }
}

export interface IgnoredKeyword {
  /** JSON pointer of the keyword inside the schema. */
  readonly pointer: string;
  readonly keyword: string;
  /** The JSON Schema keyword the author probably meant. */
  readonly suggestion?: string;
}

/**
 * Removes keywords that are not JSON Schema (nor `x-` extensions) whose value refers back into the schema:
 * `property: { $ref: '#/...payload' }` (a typo of `properties`) resolves to a cycle no validator reads and no
 * serialiser can write. Validators ignore unknown keywords, so dropping them changes nothing that is checked;
 * the caller reports each one.
 */
export function dropCyclicUnknownKeywords(schema: JsonSchema): IgnoredKeyword[] {
  const dropped: IgnoredKeyword[] = [];
  const visited = new Set<object>();
  const walk = (node: unknown, pointer: string): void => {
    if (!isRecord(node) || visited.has(node)) return;
    visited.add(node);
    for (const [key, value] of Object.entries(node)) {
      const at = `${pointer}/${escapeSegment(key)}`;
      if (SCHEMA_KEYWORDS.has(key)) {
        const children = MAP_KEYWORDS.has(key) && isRecord(value) ? Object.entries(value) : undefined;
        if (children) for (const [name, child] of children) walk(child, `${at}/${escapeSegment(name)}`);
        else if (Array.isArray(value))
          for (const [index, child] of value.entries()) walk(child, `${at}/${index}`);
        else walk(value, at);
        continue;
      }
      if (key.startsWith('x-') || !reachesCycle(value, new Set([node]))) continue;
      delete (node as Record<string, unknown>)[key];
      const suggestion = [...SCHEMA_KEYWORDS]
        .map((known) => ({ known, d: editDistance(key, known) }))
        .sort((a, b) => a.d - b.d)[0];
      dropped.push({
        pointer: at,
        keyword: key,
        ...(suggestion && suggestion.d <= 3 ? { suggestion: suggestion.known } : {}),
      });
    }
  };
  walk(schema, '');
  return dropped;
}
