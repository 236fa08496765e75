/**
 * A schema's type in one readable phrase for field tables: `string (uuid)`, `"a" | "b"`, `array of object
 * (Money)`. Recursion through `$ref` cycles stops at a schema already being described.
 */
import type { JsonSchema } from '../../model/types.ts';

type Schema = { readonly [key: string]: unknown };

export function typeOf(schema: JsonSchema, seen: ReadonlySet<object> = new Set()): string {
  if (schema === true) return 'any';
  if (schema === false) return 'never';
  if (seen.has(schema)) return typeof schema.title === 'string' ? schema.title : 'recursive';
  const inner = new Set([...seen, schema]);
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives)) return alternatives.map((s) => typeOf(s as JsonSchema, inner)).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type.map(String) : [schema.type ?? inferredType(schema)];
  return types
    .filter((t): t is string => typeof t === 'string')
    .map((t) => describeType(t, schema, inner))
    .join(' | ');
}

function inferredType(schema: Schema): string | undefined {
  if (schema.properties || schema.allOf) return 'object';
  if (schema.items) return 'array';
  return Object.keys(schema).some((k) => k !== 'description' && k !== 'title') ? undefined : 'any';
}

function describeType(type: string, schema: Schema, seen: ReadonlySet<object>): string {
  if (type === 'array') {
    const items = schema.items as JsonSchema | undefined;
    return items === undefined ? 'array' : `array of ${typeOf(items, seen)}`;
  }
  if (type === 'object' && typeof schema.title === 'string') return `object (${schema.title})`;
  return typeof schema.format === 'string' ? `${type} (${schema.format})` : type;
}
