/**
 * Test-only: random JSON schemas for json-schema-to-typescript, built to reach every shape of its output the
 * re-printer must read (named and inline objects, index signatures, tuples with rest elements, unions,
 * intersections, literals of every kind) with text that is awkward to quote or to put in a comment.
 */
import fc from 'fast-check';

/** Text that is awkward to quote or to put in a comment. */
const awkward = fc.constantFrom(
  "it's",
  'back\\slash',
  'say "hi"',
  'café',
  'Ωmega',
  '😀 astral',
  '\u2028sep',
  'nul\u0000 7',
  'tab\there',
  'ends */ here',
  '/** opens',
  '  padded  ',
  'cr\r\nlf',
  'two\n\nparagraphs',
  '@deprecated tag',
  '',
);
const text = fc.oneof(
  awkward,
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc
    .array(fc.oneof(awkward, fc.lorem({ maxCount: 3 })), { minLength: 1, maxLength: 40 })
    .map((words) => words.join(' ')),
  fc.array(fc.lorem({ maxCount: 12 }), { minLength: 2, maxLength: 4 }).map((lines) => lines.join('\n')),
);
const title = fc.constantFrom('Thing', 'thing', 'Other Thing', '2fa code', 'Ünïcode', 'Root', '$dollar');
const propertyKey = fc.oneof(
  fc.constantFrom('id', 'name', 'type', 'export', 'interface', 'readonly', 'get', 'new', '2x', 'a-b', 'k'),
  text,
);
const literal = fc.oneof(
  text,
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e21, -1.5e-7, 0.1, -0),
  fc.boolean(),
  fc.constant(null),
);

/** Annotations that change names and comments but not types. */
const annotated = (s: fc.Arbitrary<Record<string, unknown>>) =>
  fc
    .tuple(
      s,
      fc.option(title, { freq: 4 }),
      fc.option(text, { freq: 2 }),
      fc.option(fc.boolean(), { freq: 4 }),
    )
    .map(([base, t, description, deprecated]) => ({
      ...base,
      ...(t === null ? {} : { title: t }),
      ...(description === null ? {} : { description }),
      ...(deprecated === null ? {} : { deprecated }),
    }));

const { schema } = fc.letrec<{ schema: Record<string, unknown>; node: Record<string, unknown> }>((tie) => ({
  schema: annotated(tie('node') as fc.Arbitrary<Record<string, unknown>>),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('string', 'number', 'integer', 'boolean', 'null').map((type) => ({ type })),
    fc.constant({}),
    // What the generator's schema adapter (type-schema.ts) writes for "anything" and "nothing".
    fc.constantFrom({ tsType: 'unknown' }, { tsType: 'never' }),
    fc.array(literal, { minLength: 1, maxLength: 4 }).map((values) => ({ enum: values })),
    fc.array(text, { minLength: 1, maxLength: 4 }).map((values) => ({ type: 'string', enum: values })),
    literal.map((value) => ({ const: value })),
    fc
      .tuple(
        fc.dictionary(propertyKey, tie('schema'), { maxKeys: 4 }),
        fc.array(fc.boolean(), { maxLength: 4 }),
        fc.oneof(fc.boolean(), tie('schema'), fc.constant(undefined)),
      )
      .map(([properties, requiredFlags, additionalProperties]) => ({
        type: 'object',
        properties,
        required: Object.keys(properties).filter((_, i) => requiredFlags[i]),
        ...(additionalProperties === undefined ? {} : { additionalProperties }),
      })),
    // `extends` names interfaces the object's interface extends (the library's own keyword).
    fc
      .tuple(fc.array(tie('node'), { minLength: 1, maxLength: 2 }), tie('node'))
      .map(([supertypes, base]) => ({
        ...base,
        type: 'object',
        extends: supertypes.map((supertype, i) => ({ ...supertype, type: 'object', title: `Base ${i}` })),
      })),
    tie('schema').map((items) => ({ type: 'array', items })),
    fc
      .tuple(
        fc.array(tie('schema'), { maxLength: 3 }),
        fc.option(fc.nat(4)),
        fc.option(fc.nat(4)),
        fc.oneof(fc.boolean(), tie('schema'), fc.constant(undefined)),
      )
      .map(([items, minItems, maxItems, additionalItems]) => ({
        type: 'array',
        items,
        ...(minItems === null ? {} : { minItems }),
        // The library refuses maxItems < minItems.
        ...(maxItems === null ? {} : { maxItems: Math.max(maxItems, minItems ?? 0) }),
        ...(additionalItems === undefined ? {} : { additionalItems }),
      })),
    fc
      .tuple(
        fc.constantFrom('oneOf', 'anyOf', 'allOf'),
        fc.array(tie('schema'), { minLength: 1, maxLength: 3 }),
      )
      .map(([keyword, members]) => ({ [keyword]: members })),
    fc
      .tuple(fc.constantFrom('object', ['string', 'null'], ['object', 'array']), tie('schema'))
      .map(([type, additionalProperties]) => ({ type, additionalProperties })),
  ),
}));

export const randomSchema: fc.Arbitrary<Record<string, unknown>> = schema;
