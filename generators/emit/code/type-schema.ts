/**
 * Prepares payload schemas for json-schema-to-typescript. The library reads a few shapes differently from what
 * the schema means, so each cloned schema object is normalised first:
 * - a schema with no type-determining keyword (`{}`, `{description}`, `{format}`, `{not}`) is `unknown`
 *   (the library would otherwise print an object type); `not: {}` alone is `never`;
 * - `not` next to other keywords is dropped (TypeScript cannot express "anything but"), and so are `allOf`
 *   members that constrain no type (`if`/`then` rules, formats), which would only add `unknown &`, and
 *   `anyOf`/`oneOf` with such a member (the union is `unknown`);
 * - `type: object` with no properties of any kind is an open record, not `{}` (which accepts strings);
 * - contract-supplied `tsType`/`tsEnumNames` are ignored: contracts are language neutral, and TS enums are not
 *   erasable syntax;
 * - a nested title that would reuse a generated name (a message type, `<Service>Publisher`) is dropped so the
 *   nested type is inlined instead of shadowing or renaming the message type.
 */
import type { JsonSchema } from '../../model/types.ts';
import { CodeEmitError } from './errors.ts';
import { isSchemaObject } from './schema-walk.ts';

const TYPE_KEYWORDS = [
  'type',
  'enum',
  'const',
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'prefixItems',
  'allOf',
  'anyOf',
  'oneOf',
  'tsType',
];

/**
 * Keywords that cannot change a TypeScript type (value constraints, examples) are dropped before the library
 * walks the schema: less work, and no half-documented `@minItems` tags in the output. The validator keeps them.
 */
const IGNORED_KEYWORDS = [
  '$id',
  '$schema',
  'tsType',
  'tsEnumNames',
  'examples',
  'default',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'contentEncoding',
  'contentMediaType',
];

const OBJECT_SHAPE_KEYWORDS = [
  'properties',
  'patternProperties',
  'additionalProperties',
  'allOf',
  'anyOf',
  'oneOf',
];

const normalisedName = (name: string): string => name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();

export function typeSchemaAdapter(
  reservedNames: ReadonlySet<string>,
  where: string,
): (schema: Record<string, unknown>, isDefinition: boolean) => void {
  const reserved = new Set([...reservedNames].map(normalisedName));
  return (schema, isDefinition) => {
    if (typeof schema.$ref === 'string') {
      throw new CodeEmitError(
        `${where}: payload schema still contains "$ref": "${schema.$ref}"; the contract model should have ` +
          'resolved it. Check that the referenced file and pointer exist.',
      );
    }
    for (const keyword of IGNORED_KEYWORDS) delete schema[keyword];
    if (!isDefinition && typeof schema.title === 'string' && reserved.has(normalisedName(schema.title))) {
      delete schema.title;
    }
    // `X & unknown` is `X`: members that only validate (`if`/`then`, formats, bounds) would just add noise.
    if (Array.isArray(schema.allOf)) {
      const typed = schema.allOf.filter((member) => !isUnknownType(member));
      if (typed.length > 0) schema.allOf = typed;
      else delete schema.allOf;
    }
    // A union with an `unknown` member is `unknown`, which intersected with the rest of the schema is the rest
    // (`type: string, anyOf: [{format: ipv4}, {format: ipv6}]` is a string).
    for (const keyword of ['anyOf', 'oneOf']) {
      const members = schema[keyword];
      if (Array.isArray(members) && members.some(isUnknownType)) delete schema[keyword];
    }
    const negated = schema.not;
    delete schema.not;
    if (!TYPE_KEYWORDS.some((k) => k in schema)) {
      schema.tsType = negated !== undefined && matchesEverything(negated) ? 'never' : 'unknown';
      return;
    }
    if (isObjectType(schema.type) && !OBJECT_SHAPE_KEYWORDS.some((k) => k in schema)) {
      schema.additionalProperties = true;
    }
  };
}

const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** A subschema already adapted to `unknown` (or `true`): it adds nothing to an intersection. */
function isUnknownType(schema: unknown): boolean {
  return schema === true || (isSchemaObject(schema) && schema.tsType === 'unknown');
}

/**
 * `true`, `{}` and annotation-only schemas accept every value, so `not` of them accepts none. The subschema was
 * already adapted (children first), so an empty one arrives as `{ tsType: 'unknown' }`.
 */
function matchesEverything(schema: unknown): boolean {
  if (schema === true) return true;
  if (!isSchemaObject(schema)) return false;
  return Object.entries(schema).every(([k, v]) => ANNOTATIONS.has(k) || (k === 'tsType' && v === 'unknown'));
}

function isObjectType(type: unknown): boolean {
  return type === 'object' || (Array.isArray(type) && type.includes('object'));
}

/**
 * `$defs` entries become named types: booleans turn into objects so they can carry the title, and `describe`
 * may extend the description (it becomes the type's JSDoc).
 */
export function namedTypeSchema(
  name: string,
  schema: JsonSchema,
  describe?: (existing: string | undefined) => string,
): JsonSchema {
  const base: Record<string, unknown> =
    schema === true ? { tsType: 'unknown' } : schema === false ? { tsType: 'never' } : { ...schema };
  base.title = name;
  if (describe)
    base.description = describe(typeof base.description === 'string' ? base.description : undefined);
  return base;
}
