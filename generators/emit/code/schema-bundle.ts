/**
 * Turns the model's payload schemas (refs resolved, cycles kept as object identity) into one acyclic JSON
 * Schema document per service: `{ $defs: { <TypeName>: payload, <RecursiveNode>: ... } }` where every cycle and
 * every payload reused by another payload becomes a `$ref: '#/$defs/<Name>'`.
 *
 * Both schema consumers need this: json-schema-to-typescript and ajv walk schemas recursively (a cycle would
 * never end) and json-schema-to-typescript mutates its input (so it gets a private copy). Shared, non-recursive
 * subschemas stay shared in the copy so json-schema-to-typescript declares a titled type (`Money`) once.
 */
import type { JsonSchema } from '../../model/types.ts';
import { pascalCase } from '../../model/names.ts';
import {
  DEFINITION_KEYWORDS,
  isSchemaObject,
  SUBSCHEMA_KEYWORDS,
  type SchemaObject,
  setSubschema,
  subschemas,
} from './schema-walk.ts';

export interface BundleRoot {
  /** `$defs` key and type name (the message's typeName). */
  readonly name: string;
  readonly schema: JsonSchema;
}

export interface BundleOptions {
  /** Names the bundle must not give to recursive nodes (message types, generated API names). */
  readonly reservedNames: ReadonlySet<string>;
  /** Rewrites one freshly cloned schema object in place (its subschemas are already cloned). */
  readonly adapt?: (schema: Record<string, unknown>, isDefinition: boolean) => void;
  /** Last touch on every `$defs` entry (give it a title, turn a boolean schema into an object, ...). */
  readonly finishDefinition?: (name: string, schema: JsonSchema) => JsonSchema;
}

export const DEFS_POINTER = '#/$defs/';

/** The `$defs` map of the bundle: roots first in the given order, then recursive nodes in discovery order. */
export function bundleSchemas(
  roots: readonly BundleRoot[],
  options: BundleOptions,
): Record<string, JsonSchema> {
  const names = new Map<SchemaObject, string>();
  const aliases: BundleRoot[] = [];
  for (const root of roots) {
    if (!isSchemaObject(root.schema)) continue;
    const first = names.get(root.schema);
    if (first === undefined) names.set(root.schema, root.name);
    else aliases.push({ name: root.name, schema: { $ref: DEFS_POINTER + first } });
  }
  nameRecursiveNodes(roots, names, options.reservedNames);

  const memo = new Map<SchemaObject, Record<string, unknown>>();
  const clone = (schema: JsonSchema, definition: boolean): JsonSchema => {
    if (!isSchemaObject(schema)) return schema;
    const defName = names.get(schema);
    if (defName !== undefined && !definition) return { $ref: DEFS_POINTER + defName };
    const cached = definition ? undefined : memo.get(schema);
    if (cached) return cached;
    const copy = copyContainers(schema);
    if (!definition) memo.set(schema, copy);
    for (const slot of subschemas(schema, false)) setSubschema(copy, slot.path, clone(slot.schema, false));
    options.adapt?.(copy, definition);
    return copy;
  };

  const defs: Record<string, JsonSchema> = {};
  const finish = options.finishDefinition ?? ((_name: string, schema: JsonSchema) => schema);
  for (const root of roots) {
    const alias = aliases.find((a) => a.name === root.name);
    defs[root.name] = finish(root.name, alias ? alias.schema : clone(root.schema, true));
  }
  for (const [node, name] of names) {
    if (!(name in defs)) defs[name] = finish(name, clone(node, true));
  }
  return defs;
}

/**
 * Depth-first walk that finds every object reached again while it is still on the walk's path (a cycle) and
 * names it: its title when it has one, else the root's name plus the keywords that led to it.
 */
function nameRecursiveNodes(
  roots: readonly BundleRoot[],
  names: Map<SchemaObject, string>,
  reserved: ReadonlySet<string>,
): void {
  const used = new Set([...reserved, ...roots.map((r) => r.name)]);
  const onPath = new Set<SchemaObject>();
  const done = new Set<SchemaObject>();
  const firstPath = new Map<SchemaObject, string>();

  const visit = (schema: JsonSchema, path: string): void => {
    if (!isSchemaObject(schema)) return;
    if (onPath.has(schema)) {
      if (!names.has(schema))
        names.set(schema, uniqueName(suggestName(schema, firstPath.get(schema) ?? path), used));
      return;
    }
    if (done.has(schema)) return;
    firstPath.set(schema, path);
    onPath.add(schema);
    for (const slot of subschemas(schema, false)) visit(slot.schema, `${path} ${slot.path.at(-1) ?? ''}`);
    onPath.delete(schema);
    done.add(schema);
  };
  for (const root of roots) visit(root.schema, root.name);
}

function suggestName(schema: SchemaObject, path: string): string {
  const title = typeof schema.title === 'string' ? schema.title : undefined;
  // Path segments like `properties children items` read badly; keep the property names only.
  const readable = path
    .split(' ')
    .filter((s) => !['properties', 'items', 'additionalProperties', '$defs', 'definitions'].includes(s))
    .join(' ');
  return pascalCase(title ?? readable);
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}${n}`;
  used.add(name);
  return name;
}

/**
 * Copies a schema object with fresh containers for subschema lists and maps (the caller fills them with clones)
 * and deep copies of data values (`enum`, `const`, `default`, `examples`), so nothing the model holds is shared
 * with a library that mutates its input. Nested `$defs` are dropped: the model resolved every `$ref` into them.
 */
function copyContainers(schema: SchemaObject): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DEFINITION_KEYWORDS.has(key)) continue;
    if (typeof value !== 'object' || value === null) copy[key] = value;
    else if (!SUBSCHEMA_KEYWORDS.has(key)) copy[key] = structuredClone(value);
    else copy[key] = Array.isArray(value) ? [...value] : { ...value };
  }
  return copy;
}
