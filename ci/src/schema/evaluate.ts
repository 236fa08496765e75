/**
 * Validates one concrete value against a resolved (possibly cyclic) schema.
 *
 * The subset engine uses it where reasoning about sets is exact by enumeration: finite enums, `const`,
 * booleans, small integer ranges, `not` of an enum. Values are finite trees, so recursion always ends even on
 * cyclic schemas. It returns WHERE the value failed, so a rejected enum value can be reported as the change
 * that rejects it (a type, an enum, a bound) rather than as "some value fails".
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { JsonSchema } from '../../../generators/model/types.ts';
import {
  asSchema,
  compilePattern,
  escapePointer,
  isSchemaObject,
  jsonEqual,
  jsonTypeOf,
  type SchemaObject,
  type TypeName,
} from './keywords.ts';

export type Tri = true | false | 'unknown';

export interface EvalResult {
  readonly valid: Tri;
  /** The keyword that rejected the value (or could not be decided), its schema path and the value's location. */
  readonly keyword?: string;
  readonly schemaPath?: string;
  readonly instancePath?: string;
}

const VALID: EvalResult = { valid: true };

export function typeMatches(type: string, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  if (actual === undefined) return false;
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

type FormatCheck = (value: unknown) => boolean | undefined;
const formatChecks = new Map<string, FormatCheck>();
/** A format check, or undefined when the format is unknown (unknown formats accept everything, as in ajv). */
export function formatCheck(format: string): FormatCheck | undefined {
  if (formatChecks.has(format)) return formatChecks.get(format);
  const def = (fullFormats as Record<string, unknown>)[format];
  let check: FormatCheck | undefined;
  if (def instanceof RegExp) check = (v) => (typeof v === 'string' ? def.test(v) : undefined);
  else if (typeof def === 'function') check = (v) => (typeof v === 'string' ? Boolean(def(v)) : undefined);
  else if (def === true) check = () => true;
  else if (isSchemaObject(def)) {
    const kind = def.type === 'number' ? 'number' : 'string';
    const validate = def.validate;
    check = (v) => {
      if (typeof v !== kind) return undefined;
      if (validate instanceof RegExp) return validate.test(String(v));
      return typeof validate === 'function' ? Boolean(validate(v)) : true;
    };
  }
  formatChecks.set(format, check as FormatCheck);
  return check;
}

interface Frame {
  readonly schemaPath: string;
  readonly instancePath: string;
}

function fail(frame: Frame, keyword: string, valid: false | 'unknown' = false): EvalResult {
  return { valid, keyword, schemaPath: `${frame.schemaPath}/${keyword}`, instancePath: frame.instancePath };
}

/** Conjunction: the first definite failure wins; otherwise the first undecided part. */
function all(results: Iterable<EvalResult>): EvalResult {
  let unknown: EvalResult | undefined;
  for (const r of results) {
    if (r.valid === false) return r;
    if (r.valid === 'unknown' && !unknown) unknown = r;
  }
  return unknown ?? VALID;
}

function child(frame: Frame, schemaSeg: string, instanceSeg?: string | number): Frame {
  return {
    schemaPath: `${frame.schemaPath}/${schemaSeg}`,
    instancePath:
      instanceSeg === undefined ? frame.instancePath : `${frame.instancePath}/${escapePointer(instanceSeg)}`,
  };
}

export function evaluate(schema: JsonSchema, value: unknown): EvalResult {
  return evalAt(schema, value, { schemaPath: '', instancePath: '' });
}

function evalAt(schema: JsonSchema, value: unknown, frame: Frame): EvalResult {
  if (schema === true) return VALID;
  if (schema === false)
    return { valid: false, keyword: 'false', schemaPath: frame.schemaPath, instancePath: frame.instancePath };
  return all(checks(schema, value, frame));
}

function* checks(s: SchemaObject, value: unknown, frame: Frame): Generator<EvalResult> {
  if (typeof s.$ref === 'string') yield fail(frame, '$ref', 'unknown');
  yield checkType(s, value, frame);
  if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(e, value))) yield fail(frame, 'enum');
  if ('const' in s && !jsonEqual(s.const, value)) yield fail(frame, 'const');
  if (typeof value === 'number') yield* numberChecks(s, value, frame);
  if (typeof value === 'string') yield* stringChecks(s, value, frame);
  if (typeof s.format === 'string') {
    const ok = formatCheck(s.format)?.(value);
    if (ok === false) yield fail(frame, 'format');
  }
  if (Array.isArray(value)) yield* arrayChecks(s, value, frame);
  else if (isSchemaObject(value)) yield* objectChecks(s, value, frame);
  yield* combinatorChecks(s, value, frame);
}

function checkType(s: SchemaObject, value: unknown, frame: Frame): EvalResult {
  if (s.type === undefined) return VALID;
  const types = (Array.isArray(s.type) ? s.type : [s.type]) as TypeName[];
  return types.some((t) => typeMatches(t, value)) ? VALID : fail(frame, 'type');
}

function* numberChecks(s: SchemaObject, v: number, frame: Frame): Generator<EvalResult> {
  const { minimum, maximum, exclusiveMinimum: exMin, exclusiveMaximum: exMax, multipleOf } = s;
  // draft-04 wrote exclusive bounds as booleans next to minimum/maximum.
  if (typeof minimum === 'number' && (exMin === true ? v <= minimum : v < minimum))
    yield fail(frame, 'minimum');
  if (typeof maximum === 'number' && (exMax === true ? v >= maximum : v > maximum))
    yield fail(frame, 'maximum');
  if (typeof exMin === 'number' && v <= exMin) yield fail(frame, 'exclusiveMinimum');
  if (typeof exMax === 'number' && v >= exMax) yield fail(frame, 'exclusiveMaximum');
  if (typeof multipleOf === 'number' && multipleOf > 0) {
    const q = v / multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) yield fail(frame, 'multipleOf');
  }
}

function* stringChecks(s: SchemaObject, v: string, frame: Frame): Generator<EvalResult> {
  const length = [...v].length;
  if (typeof s.minLength === 'number' && length < s.minLength) yield fail(frame, 'minLength');
  if (typeof s.maxLength === 'number' && length > s.maxLength) yield fail(frame, 'maxLength');
  if (typeof s.pattern === 'string') {
    const re = compilePattern(s.pattern);
    if (re === null) yield fail(frame, 'pattern', 'unknown');
    else if (!re.test(v)) yield fail(frame, 'pattern');
  }
}

function* arrayChecks(s: SchemaObject, v: readonly unknown[], frame: Frame): Generator<EvalResult> {
  if (typeof s.minItems === 'number' && v.length < s.minItems) yield fail(frame, 'minItems');
  if (typeof s.maxItems === 'number' && v.length > s.maxItems) yield fail(frame, 'maxItems');
  if (s.uniqueItems === true && v.some((a, i) => v.slice(i + 1).some((b) => jsonEqual(a, b))))
    yield fail(frame, 'uniqueItems');
  const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
  const tupleKey = Array.isArray(s.prefixItems) ? 'prefixItems' : 'items';
  const rest = asSchema(Array.isArray(s.items) ? s.additionalItems : s.items);
  const restKey = Array.isArray(s.items) ? 'additionalItems' : 'items';
  for (let i = 0; i < v.length; i++) {
    const itemSchema = i < tuple.length ? asSchema(tuple[i]) : rest;
    if (itemSchema === undefined) continue;
    const seg = i < tuple.length ? `${tupleKey}/${i}` : restKey;
    yield evalAt(itemSchema, v[i], child(frame, seg, i));
  }
  const contains = asSchema(s.contains);
  if (contains !== undefined) {
    const matches = v.map((item, i) => evalAt(contains, item, child(frame, 'contains', i)));
    if (matches.some((m) => m.valid === 'unknown')) yield fail(frame, 'contains', 'unknown');
    else {
      const count = matches.filter((m) => m.valid === true).length;
      const min = typeof s.minContains === 'number' ? s.minContains : 1;
      if (count < min) yield fail(frame, 'contains');
      if (typeof s.maxContains === 'number' && count > s.maxContains) yield fail(frame, 'maxContains');
    }
  }
  if (s.unevaluatedItems !== undefined && s.unevaluatedItems !== true)
    yield fail(frame, 'unevaluatedItems', 'unknown');
}

function* objectChecks(s: SchemaObject, v: SchemaObject, frame: Frame): Generator<EvalResult> {
  const names = Object.keys(v);
  if (typeof s.minProperties === 'number' && names.length < s.minProperties)
    yield fail(frame, 'minProperties');
  if (typeof s.maxProperties === 'number' && names.length > s.maxProperties)
    yield fail(frame, 'maxProperties');
  if (Array.isArray(s.required)) {
    for (const name of s.required)
      if (typeof name === 'string' && !Object.hasOwn(v, name)) yield fail(frame, 'required');
  }
  const properties = isSchemaObject(s.properties) ? s.properties : {};
  const patterns = isSchemaObject(s.patternProperties) ? Object.entries(s.patternProperties) : [];
  const additional = asSchema(s.additionalProperties);
  const propertyNames = asSchema(s.propertyNames);
  for (const name of names) {
    let matched = false;
    const own = asSchema(properties[name]);
    if (own !== undefined && Object.hasOwn(properties, name)) {
      matched = true;
      yield evalAt(own, v[name], child(frame, `properties/${escapePointer(name)}`, name));
    }
    for (const [pattern, sub] of patterns) {
      const re = compilePattern(pattern);
      if (re === null) yield fail(frame, 'patternProperties', 'unknown');
      else if (re.test(name)) {
        matched = true;
        const subSchema = asSchema(sub);
        if (subSchema !== undefined)
          yield evalAt(subSchema, v[name], child(frame, `patternProperties/${escapePointer(pattern)}`, name));
      }
    }
    if (!matched && additional !== undefined)
      yield evalAt(additional, v[name], child(frame, 'additionalProperties', name));
    if (propertyNames !== undefined) yield evalAt(propertyNames, name, child(frame, 'propertyNames'));
  }
  yield* dependencyChecks(s, v, frame);
  if (s.unevaluatedProperties !== undefined && s.unevaluatedProperties !== true)
    yield fail(frame, 'unevaluatedProperties', 'unknown');
}

function* dependencyChecks(s: SchemaObject, v: SchemaObject, frame: Frame): Generator<EvalResult> {
  for (const key of ['dependencies', 'dependentRequired', 'dependentSchemas'] as const) {
    const map = s[key];
    if (!isSchemaObject(map)) continue;
    for (const [trigger, dep] of Object.entries(map)) {
      if (!Object.hasOwn(v, trigger)) continue;
      if (Array.isArray(dep)) {
        if (dep.some((n) => typeof n === 'string' && !Object.hasOwn(v, n))) yield fail(frame, key);
      } else {
        const depSchema = asSchema(dep);
        if (depSchema !== undefined)
          yield evalAt(depSchema, v, child(frame, `${key}/${escapePointer(trigger)}`));
      }
    }
  }
}

function* combinatorChecks(s: SchemaObject, value: unknown, frame: Frame): Generator<EvalResult> {
  if (Array.isArray(s.allOf)) {
    for (const [i, sub] of s.allOf.entries()) {
      const subSchema = asSchema(sub);
      if (subSchema !== undefined) yield evalAt(subSchema, value, child(frame, `allOf/${i}`));
    }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = s[key];
    if (!Array.isArray(list)) continue;
    const results = list.map((sub, i) => evalAt(asSchema(sub) ?? true, value, child(frame, `${key}/${i}`)));
    const passed = results.filter((r) => r.valid === true).length;
    const unknown = results.some((r) => r.valid === 'unknown');
    if (key === 'anyOf') {
      if (passed === 0) yield fail(frame, key, unknown ? 'unknown' : false);
    } else if (passed > 1) yield fail(frame, key);
    else if (unknown) yield fail(frame, key, 'unknown');
    else if (passed === 0) yield fail(frame, key);
  }
  const not = asSchema(s.not);
  if (not !== undefined) {
    const r = evalAt(not, value, child(frame, 'not'));
    if (r.valid === true) yield fail(frame, 'not');
    else if (r.valid === 'unknown') yield fail(frame, 'not', 'unknown');
  }
  const ifSchema = asSchema(s.if);
  if (ifSchema !== undefined) {
    const cond = evalAt(ifSchema, value, child(frame, 'if'));
    if (cond.valid === 'unknown') yield fail(frame, 'if', 'unknown');
    const branch = cond.valid === true ? 'then' : 'else';
    const target = asSchema(s[branch]);
    if (cond.valid !== 'unknown' && target !== undefined) yield evalAt(target, value, child(frame, branch));
  }
}
