/**
 * Payload schemas for the model: copied from the files as written (parse/resolve.ts), plus what the model
 * derives from them. A recursive schema is a cycle of plain objects; a schema shared by two messages is one
 * object.
 */
import { escapeSegment, isRecord } from '../parse/pointer.ts';
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
