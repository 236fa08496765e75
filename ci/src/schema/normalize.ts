/**
 * Turns a conjunction of raw schemas into the shape the subset engine reasons about.
 *
 * `expand` distributes anyOf/oneOf into "pieces" (conjunctions without unions) and flattens allOf, so
 * `A ⊆ B` becomes "every piece of A ⊆ B". `normalize` summarises one piece per JSON type: the set of type
 * atoms it allows (integers and non-integer numbers are separate atoms, so `integer ⊆ number` is plain set
 * inclusion), numeric intervals, string lengths/patterns/formats, array positions and object properties.
 * Sub-schemas stay raw (lists of schemas meaning their conjunction) so recursion stays lazy and cycle-safe.
 */
import type { JsonSchema } from '../../../generators/model/types.ts';
import { evaluate } from './evaluate.ts';
import {
  asSchema,
  compilePattern,
  escapePointer,
  isSchemaObject,
  isTrivialPattern,
  jsonEqual,
  type SchemaObject,
} from './keywords.ts';

export type Atom = 'null' | 'boolean' | 'object' | 'array' | 'string' | 'integer' | 'fraction';
export const ALL_ATOMS: readonly Atom[] = [
  'null',
  'boolean',
  'object',
  'array',
  'string',
  'integer',
  'fraction',
];

export function atomsOfType(type: string): Atom[] {
  if (type === 'number') return ['integer', 'fraction'];
  return (ALL_ATOMS as readonly string[]).includes(type) && type !== 'fraction' ? [type as Atom] : [];
}

export interface Piece {
  readonly members: readonly JsonSchema[];
  /** Variants of a oneOf this piece was cut from that its instances do NOT match (exclusive union). */
  readonly excluded: readonly JsonSchema[];
}

interface Group {
  readonly kind: 'anyOf' | 'oneOf';
  readonly variants: readonly JsonSchema[];
}

/** Splits a conjunction into union-free pieces; undefined when there would be more than `cap` of them. */
export function expand(members: readonly JsonSchema[], cap = 128): Piece[] | undefined {
  const base: JsonSchema[] = [];
  const groups: Group[] = [];
  const seen = new Set<JsonSchema>();
  for (const m of members) flatten(m, base, groups, seen);
  let pieces: Piece[] = [{ members: base, excluded: [] }];
  for (const group of groups) {
    const next: Piece[] = [];
    for (const piece of pieces) {
      for (const [i, variant] of group.variants.entries()) {
        const sub = expand([variant], cap);
        if (sub === undefined) return undefined;
        const others = group.kind === 'oneOf' ? group.variants.filter((_, j) => j !== i) : [];
        for (const s of sub) {
          next.push({
            members: [...piece.members, ...s.members],
            excluded: [...piece.excluded, ...s.excluded, ...others],
          });
        }
        if (next.length > cap) return undefined;
      }
    }
    pieces = next;
  }
  return pieces;
}

const COMBINATORS = ['allOf', 'anyOf', 'oneOf'];
const baseViews = new WeakMap<object, JsonSchema>();

/**
 * The schema without allOf/anyOf/oneOf (those are expanded into pieces). Memoised per object, so the view of
 * a schema keeps one identity: memo keys and cycle detection depend on it.
 */
export function baseView(schema: JsonSchema): JsonSchema {
  if (!isSchemaObject(schema) || !COMBINATORS.some((k) => k in schema)) return schema;
  let view = baseViews.get(schema);
  if (view === undefined) {
    view = Object.fromEntries(Object.entries(schema).filter(([k]) => !COMBINATORS.includes(k)));
    baseViews.set(schema, view);
  }
  return view;
}

function flatten(schema: JsonSchema, base: JsonSchema[], groups: Group[], seen: Set<JsonSchema>): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  base.push(baseView(schema));
  if (!isSchemaObject(schema)) return;
  if (Array.isArray(schema.allOf))
    for (const sub of schema.allOf) flatten(asSchema(sub) ?? true, base, groups, seen);
  for (const kind of ['anyOf', 'oneOf'] as const) {
    const list = schema[kind];
    if (Array.isArray(list)) groups.push({ kind, variants: list.map((v) => asSchema(v) ?? true) });
  }
}

export interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
}

/** One schema's view of array positions: a tuple prefix (`prefixItems`, draft-07 `items: [...]`) and the rest. */
export interface ArrayLayout {
  readonly tuple: readonly JsonSchema[];
  readonly rest?: JsonSchema;
  readonly tupleKeyword: 'prefixItems' | 'items';
  readonly restKeyword: 'items' | 'additionalItems';
}

export interface ArrayPart {
  readonly layouts: readonly ArrayLayout[];
  readonly minItems: number;
  readonly maxItems?: number;
  readonly unique: boolean;
  readonly contains: readonly JsonSchema[];
}

export interface Branch {
  readonly properties: Readonly<Record<string, JsonSchema>>;
  readonly patterns: readonly (readonly [string, JsonSchema])[];
  readonly additional: JsonSchema;
}

export interface ObjectPart {
  readonly branches: readonly Branch[];
  readonly required: ReadonlySet<string>;
  readonly minProperties: number;
  readonly maxProperties?: number;
  readonly propertyNames: readonly JsonSchema[];
  readonly dependentRequired: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface Norm {
  readonly atoms: ReadonlySet<Atom>;
  readonly values?: readonly unknown[];
  readonly number: { readonly min?: Bound; readonly max?: Bound; readonly multipleOf: readonly number[] };
  readonly string: {
    readonly minLength: number;
    readonly maxLength?: number;
    readonly patterns: readonly string[];
    readonly formats: readonly string[];
  };
  readonly array: ArrayPart;
  readonly object: ObjectPart;
  /** Keywords this summary does not model (`not`, `if`, `dependentSchemas`, ...), with the schema holding them. */
  readonly opaque: readonly { readonly keyword: string; readonly owner: SchemaObject }[];
  readonly empty: boolean;
}

const OPAQUE_KEYWORDS = [
  'not',
  'if',
  'dependentSchemas',
  'unevaluatedProperties',
  'unevaluatedItems',
  '$ref',
];

export function normalize(members: readonly JsonSchema[]): Norm {
  let atoms = new Set<Atom>(ALL_ATOMS);
  let values: unknown[] | undefined;
  let hasFalse = false;
  let min: Bound | undefined;
  let max: Bound | undefined;
  const multipleOf: number[] = [];
  let minLength = 0;
  let maxLength: number | undefined;
  const patterns: string[] = [];
  const formats: string[] = [];
  const layouts: ArrayLayout[] = [];
  let minItems = 0;
  let maxItems: number | undefined;
  let unique = false;
  const contains: JsonSchema[] = [];
  const branches: Branch[] = [];
  const required = new Set<string>();
  let minProperties = 0;
  let maxProperties: number | undefined;
  const propertyNames: JsonSchema[] = [];
  const dependentRequired = new Map<string, Set<string>>();
  const opaque: { keyword: string; owner: SchemaObject }[] = [];

  const intersectValues = (list: unknown[]) => {
    values = values === undefined ? [...list] : values.filter((v) => list.some((w) => jsonEqual(v, w)));
  };

  for (const m of members) {
    if (m === false) hasFalse = true;
    if (!isSchemaObject(m)) continue;
    if (m.type !== undefined) {
      const allowed = new Set(
        (Array.isArray(m.type) ? m.type : [m.type]).flatMap((t) => atomsOfType(String(t))),
      );
      atoms = new Set([...atoms].filter((a) => allowed.has(a)));
    }
    if (Array.isArray(m.enum)) intersectValues(m.enum);
    if ('const' in m) intersectValues([m.const]);
    // Numbers: both draft-04 (boolean exclusive flags) and draft-06+ (numeric exclusive bounds).
    if (typeof m.minimum === 'number')
      min = tighter(min, { value: m.minimum, exclusive: m.exclusiveMinimum === true }, 1);
    if (typeof m.exclusiveMinimum === 'number')
      min = tighter(min, { value: m.exclusiveMinimum, exclusive: true }, 1);
    if (typeof m.maximum === 'number')
      max = tighter(max, { value: m.maximum, exclusive: m.exclusiveMaximum === true }, -1);
    if (typeof m.exclusiveMaximum === 'number')
      max = tighter(max, { value: m.exclusiveMaximum, exclusive: true }, -1);
    if (typeof m.multipleOf === 'number' && m.multipleOf > 0) multipleOf.push(m.multipleOf);
    if (typeof m.minLength === 'number') minLength = Math.max(minLength, m.minLength);
    if (typeof m.maxLength === 'number') maxLength = Math.min(maxLength ?? Infinity, m.maxLength);
    if (typeof m.pattern === 'string' && !isTrivialPattern(m.pattern)) patterns.push(m.pattern);
    if (typeof m.format === 'string') formats.push(m.format);
    const layout = arrayLayout(m);
    if (layout) layouts.push(layout);
    if (typeof m.minItems === 'number') minItems = Math.max(minItems, m.minItems);
    if (typeof m.maxItems === 'number') maxItems = Math.min(maxItems ?? Infinity, m.maxItems);
    if (m.uniqueItems === true) unique = true;
    const containsSchema = asSchema(m.contains);
    if (containsSchema !== undefined) contains.push(containsSchema);
    const branch = objectBranch(m);
    if (branch) branches.push(branch);
    if (Array.isArray(m.required)) for (const r of m.required) if (typeof r === 'string') required.add(r);
    if (typeof m.minProperties === 'number') minProperties = Math.max(minProperties, m.minProperties);
    if (typeof m.maxProperties === 'number')
      maxProperties = Math.min(maxProperties ?? Infinity, m.maxProperties);
    const names = asSchema(m.propertyNames);
    if (names !== undefined) propertyNames.push(names);
    collectDependencies(m, dependentRequired, opaque);
    for (const k of OPAQUE_KEYWORDS) {
      if (!(k in m) || ((k === 'unevaluatedProperties' || k === 'unevaluatedItems') && m[k] === true))
        continue;
      opaque.push({ keyword: k, owner: m });
    }
  }

  // Constraints that leave a type with no instance remove that type.
  const integerOnly = multipleOf.some(Number.isInteger);
  if (integerOnly) atoms.delete('fraction');
  if (
    min &&
    max &&
    (min.value > max.value || (min.value === max.value && (min.exclusive || max.exclusive)))
  ) {
    atoms.delete('integer');
    atoms.delete('fraction');
  }
  if (atoms.has('integer') && !atoms.has('fraction') && min && max && integerLow(min) > integerHigh(max))
    atoms.delete('integer');
  if (maxLength !== undefined && minLength > maxLength) atoms.delete('string');
  if (maxItems !== undefined && minItems > maxItems) atoms.delete('array');
  if (maxProperties !== undefined && (minProperties > maxProperties || required.size > maxProperties))
    atoms.delete('object');

  const empty = hasFalse || atoms.size === 0 || values?.length === 0;
  return {
    atoms,
    ...(values !== undefined ? { values } : {}),
    number: { ...(min ? { min } : {}), ...(max ? { max } : {}), multipleOf },
    string: { minLength, ...(maxLength !== undefined ? { maxLength } : {}), patterns, formats },
    array: { layouts, minItems, ...(maxItems !== undefined ? { maxItems } : {}), unique, contains },
    object: {
      branches,
      required,
      minProperties,
      ...(maxProperties !== undefined ? { maxProperties } : {}),
      propertyNames,
      dependentRequired,
    },
    opaque,
    empty,
  };
}

/** The tighter of two bounds; `direction` 1 for lower bounds, -1 for upper bounds. */
function tighter(current: Bound | undefined, next: Bound, direction: 1 | -1): Bound {
  if (!current) return next;
  if (next.value * direction > current.value * direction) return next;
  if (next.value === current.value && next.exclusive) return next;
  return current;
}

/** The smallest integer a lower bound allows / the largest an upper bound allows. */
export function integerLow(b: Bound): number {
  return b.exclusive ? Math.floor(b.value) + 1 : Math.ceil(b.value);
}
export function integerHigh(b: Bound): number {
  return b.exclusive ? Math.ceil(b.value) - 1 : Math.floor(b.value);
}

function arrayLayout(m: SchemaObject): ArrayLayout | undefined {
  const toList = (v: unknown) => (Array.isArray(v) ? v.map((s) => asSchema(s) ?? true) : []);
  if (Array.isArray(m.prefixItems)) {
    const rest = asSchema(m.items);
    return {
      tuple: toList(m.prefixItems),
      ...(rest !== undefined ? { rest } : {}),
      tupleKeyword: 'prefixItems',
      restKeyword: 'items',
    };
  }
  if (Array.isArray(m.items)) {
    const rest = asSchema(m.additionalItems);
    return {
      tuple: toList(m.items),
      ...(rest !== undefined ? { rest } : {}),
      tupleKeyword: 'items',
      restKeyword: 'additionalItems',
    };
  }
  const rest = asSchema(m.items);
  return rest !== undefined ? { tuple: [], rest, tupleKeyword: 'items', restKeyword: 'items' } : undefined;
}

function objectBranch(m: SchemaObject): Branch | undefined {
  if (!('properties' in m) && !('patternProperties' in m) && !('additionalProperties' in m)) return undefined;
  const properties: Record<string, JsonSchema> = {};
  if (isSchemaObject(m.properties))
    for (const [k, v] of Object.entries(m.properties)) properties[k] = asSchema(v) ?? true;
  const patterns = isSchemaObject(m.patternProperties)
    ? Object.entries(m.patternProperties).map(([p, s]) => [p, asSchema(s) ?? true] as const)
    : [];
  return { properties, patterns, additional: asSchema(m.additionalProperties) ?? true };
}

function collectDependencies(
  m: SchemaObject,
  into: Map<string, Set<string>>,
  opaque: { keyword: string; owner: SchemaObject }[],
): void {
  for (const key of ['dependentRequired', 'dependencies'] as const) {
    const map = m[key];
    if (!isSchemaObject(map)) continue;
    for (const [trigger, dep] of Object.entries(map)) {
      if (Array.isArray(dep)) {
        const set = into.get(trigger) ?? new Set<string>();
        for (const d of dep) if (typeof d === 'string') set.add(d);
        into.set(trigger, set);
      } else if (key === 'dependencies') opaque.push({ keyword: 'dependencies', owner: m });
    }
  }
}

const RANGE_LIMIT = 256;

/**
 * The finite set of values a piece allows, when it is small enough to enumerate: enum/const, null, booleans
 * and short integer ranges. Values the piece's own constraints reject are dropped; undefined = not finite.
 */
export function finiteValues(members: readonly JsonSchema[], norm: Norm): unknown[] | undefined {
  let candidates: unknown[] | undefined;
  if (norm.values !== undefined) candidates = [...norm.values];
  else {
    const atoms = [...norm.atoms];
    if (atoms.some((a) => a !== 'null' && a !== 'boolean' && a !== 'integer')) return undefined;
    candidates = [];
    if (norm.atoms.has('null')) candidates.push(null);
    if (norm.atoms.has('boolean')) candidates.push(true, false);
    if (norm.atoms.has('integer')) {
      const { min, max } = norm.number;
      if (!min || !max) return undefined;
      const low = integerLow(min);
      const high = integerHigh(max);
      if (high - low >= RANGE_LIMIT) return undefined;
      for (let i = low; i <= high; i++) candidates.push(i);
    }
  }
  return candidates.filter((v) => members.every((m) => evaluate(m, v).valid !== false));
}

export interface PropertySchema {
  readonly schema: JsonSchema;
  /** Where it comes from in its schema: `/properties/x`, `/patternProperties/^x-`, `/additionalProperties`. */
  readonly path: string;
}

/** Effective schemas for one property name: what every branch says about it (`properties`, patterns, rest). */
export function propertySchemas(
  object: ObjectPart,
  name: string,
): { schemas: PropertySchema[]; declared: boolean } {
  const schemas: PropertySchema[] = [];
  let declared = false;
  for (const branch of object.branches) {
    let matched = false;
    if (Object.hasOwn(branch.properties, name)) {
      schemas.push({
        schema: branch.properties[name] as JsonSchema,
        path: `/properties/${escapePointer(name)}`,
      });
      matched = true;
      declared = true;
    }
    for (const [pattern, schema] of branch.patterns) {
      if (compilePattern(pattern)?.test(name)) {
        schemas.push({ schema, path: `/patternProperties/${escapePointer(pattern)}` });
        matched = true;
      }
    }
    if (!matched && branch.additional !== true)
      schemas.push({ schema: branch.additional, path: '/additionalProperties' });
  }
  return { schemas, declared };
}
