/**
 * A payload schema as the rows of a field table: one row per property, nested objects and array items
 * flattened to dotted paths (`lines[].sku`), so a reader sees every field without reading JSON Schema.
 * Schemas may be recursive (the model keeps `$ref` cycles as object identity): a field whose schema is one of
 * its own ancestors is listed once and marked recursive instead of being expanded forever.
 */
import type { JsonSchema } from '../../model/types.ts';
// Fields marked `x-eventwire-pii` are flagged in field tables; the runtime's rule says which fields are marked.
import { isPii } from '../../../runtime/pii.ts';
import { typeOf } from './schema-type.ts';

export interface FieldRow {
  /** JSON pointer into the payload; `*` stands for any array index or map key (the piiFields convention). */
  readonly pointer: string;
  /** `customer.email`, `lines[].sku`, `metadata{}`. */
  readonly path: string;
  readonly type: string;
  /** Required in its parent object. */
  readonly required: boolean;
  readonly description?: string;
  readonly pii: boolean;
}

type Schema = { readonly [key: string]: unknown };

const MAX_DEPTH = 6;
const asSchema = (value: unknown): Schema | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : undefined;
const escapePointer = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');

/** The schema's own properties plus those of its `allOf` members (how contracts compose object types). */
function objectShape(schema: Schema): { properties: [string, JsonSchema][]; required: Set<string> } {
  const parts = [schema, ...(Array.isArray(schema.allOf) ? schema.allOf.map(asSchema) : [])];
  const properties = new Map<string, JsonSchema>();
  const required = new Set<string>();
  for (const part of parts) {
    for (const [name, value] of Object.entries(asSchema(part?.properties) ?? {})) {
      if (!properties.has(name)) properties.set(name, value as JsonSchema);
    }
    if (Array.isArray(part?.required)) for (const name of part.required) required.add(String(name));
  }
  return { properties: [...properties], required };
}

/**
 * Rows for every field of a payload schema, parents before children, in declaration order. A named type
 * (a schema with a `title`, such as Money) is expanded where it first appears; later uses say "as above",
 * which keeps a table with five amounts at five rows instead of fifteen.
 */
export function fieldRows(payload: JsonSchema, piiFields: readonly string[]): FieldRow[] {
  const rows: FieldRow[] = [];
  const expanded = new Set<object>();
  const namedType = (schema: JsonSchema) => {
    const object = asSchema(schema);
    const target = asSchema(object?.items) ?? object;
    return target && typeof target.title === 'string' && target.properties ? target : undefined;
  };
  const add = (
    schema: JsonSchema,
    pointer: string,
    path: string,
    required: boolean,
    within: readonly object[],
  ) => {
    const named = namedType(schema);
    const repeated = named !== undefined && expanded.has(named) && !within.includes(named);
    const row = field(schema, pointer, path, within);
    // A repeated type's description is the one already shown where it was expanded.
    const { description, ...rest } = row;
    const shown = repeated && description === named.description ? {} : description ? { description } : {};
    const type = repeated ? `${row.type}, fields as above` : row.type;
    rows.push({ ...rest, ...shown, type, required, pii: isPii(pointer, piiFields) });
    if (named) expanded.add(named);
    if (!repeated) descend(schema, pointer, path, within);
  };
  const visit = (schema: JsonSchema, pointer: string, path: string, ancestors: readonly object[]) => {
    const object = asSchema(schema);
    if (!object || ancestors.length > MAX_DEPTH) return;
    const within = [...ancestors, object];
    const { properties, required } = objectShape(object);
    for (const [name, child] of properties) {
      add(
        child,
        `${pointer}/${escapePointer(name)}`,
        path ? `${path}.${name}` : name,
        required.has(name),
        within,
      );
    }
    const map = asSchema(object.additionalProperties);
    if (map) add(map, `${pointer}/*`, `${path}{}`, false, within);
  };
  const descend = (schema: JsonSchema, pointer: string, path: string, ancestors: readonly object[]) => {
    const object = asSchema(schema);
    if (!object || ancestors.includes(object)) return;
    visit(object, pointer, path, ancestors);
    const items = asSchema(object.items);
    if (items && !ancestors.includes(items))
      visit(items, `${pointer}/*`, `${path}[]`, [...ancestors, object]);
  };
  const field = (schema: JsonSchema, pointer: string, path: string, ancestors: readonly object[]) => {
    const object = asSchema(schema);
    const description = typeof object?.description === 'string' ? object.description : undefined;
    const recursive =
      object !== undefined && [object, object.items].some((s) => ancestors.includes(s as object));
    const type = typeOf(schema) + (recursive ? ', recursive' : '');
    return { pointer, path, type, ...(description ? { description } : {}) };
  };
  visit(payload, '', '', []);
  return rows;
}
