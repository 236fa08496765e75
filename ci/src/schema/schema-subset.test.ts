import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../generators/model/types.ts';
import type { IssueKind, Verdict } from './issues.ts';
import { isSubset } from './schema-subset.ts';

function check(a: JsonSchema, b: JsonSchema): { verdict: Verdict; kinds: IssueKind[] } {
  const r = isSubset(a, b);
  return { verdict: r.verdict, kinds: [...new Set(r.issues.map((i) => i.kind))].sort() };
}

const obj = (properties: Record<string, JsonSchema>, extra: Record<string, unknown> = {}): JsonSchema => ({
  type: 'object',
  properties,
  ...extra,
});

describe('types', () => {
  it('integer is a number, not the other way round', () => {
    expect(check({ type: 'integer' }, { type: 'number' }).verdict).toBe('yes');
    expect(check({ type: 'number' }, { type: 'integer' })).toEqual({ verdict: 'no', kinds: ['type'] });
  });
  it('a number with an integer multipleOf is an integer', () => {
    expect(check({ type: 'number', multipleOf: 2 }, { type: 'integer' }).verdict).toBe('yes');
  });
  it('nullable through type arrays', () => {
    expect(check({ type: 'string' }, { type: ['string', 'null'] }).verdict).toBe('yes');
    expect(check({ type: ['string', 'null'] }, { type: 'string' })).toEqual({
      verdict: 'no',
      kinds: ['type'],
    });
  });
  it('no type keyword means every type', () => {
    expect(check({ properties: { a: { type: 'string' } } }, { type: 'object' })).toEqual({
      verdict: 'no',
      kinds: ['type'],
    });
  });
  it('boolean schemas', () => {
    expect(check(false, { type: 'string' }).verdict).toBe('yes');
    expect(check({ type: 'string' }, true).verdict).toBe('yes');
    expect(check(true, { type: 'string' }).verdict).toBe('no');
    expect(check({ type: 'string' }, false).verdict).toBe('no');
    expect(check({ type: 'string', enum: [1] }, false).verdict).toBe('yes');
  });
});

describe('enum and const', () => {
  it('a new enum value is rejected by the old enum', () => {
    const r = isSubset({ enum: ['a', 'b', 'c'] }, { enum: ['a', 'b'] });
    expect(r.verdict).toBe('no');
    expect(r.issues[0]?.kind).toBe('enum');
    expect(r.issues[0]?.detail).toContain('"c"');
  });
  it('reordered enums are equal', () => {
    expect(check({ enum: ['b', 'a'] }, { enum: ['a', 'b'] }).verdict).toBe('yes');
  });
  it('enum values are checked against every other keyword of B', () => {
    expect(check({ enum: ['abc', 'toolong'] }, { type: 'string', maxLength: 5 })).toEqual({
      verdict: 'no',
      kinds: ['bound'],
    });
    expect(check({ const: 3 }, { type: 'integer', minimum: 1, maximum: 5 }).verdict).toBe('yes');
  });
  it('unbounded strings do not fit an enum', () => {
    expect(check({ type: 'string' }, { type: 'string', enum: ['a'] })).toEqual({
      verdict: 'no',
      kinds: ['enum'],
    });
  });
  it('booleans and small integer ranges are enumerated', () => {
    expect(check({ type: 'boolean' }, { enum: [true, false] }).verdict).toBe('yes');
    expect(check({ type: 'integer', minimum: 1, maximum: 3 }, { enum: [1, 2, 3] }).verdict).toBe('yes');
    expect(check({ type: 'integer', minimum: 1, maximum: 4 }, { enum: [1, 2, 3] }).verdict).toBe('no');
  });
});

describe('numeric and string bounds', () => {
  it('tightened and loosened bounds', () => {
    expect(check({ type: 'number', minimum: 5 }, { type: 'number', minimum: 0 }).verdict).toBe('yes');
    expect(check({ type: 'number', minimum: 0 }, { type: 'number', minimum: 5 })).toEqual({
      verdict: 'no',
      kinds: ['bound'],
    });
    expect(check({ type: 'number' }, { type: 'number', maximum: 10 })).toEqual({
      verdict: 'no',
      kinds: ['bound'],
    });
  });
  it('exclusive bounds, in draft-04 and draft-06 forms, and on integers', () => {
    expect(check({ type: 'number', exclusiveMinimum: 0 }, { type: 'number', minimum: 0 }).verdict).toBe(
      'yes',
    );
    expect(check({ type: 'number', minimum: 0 }, { type: 'number', exclusiveMinimum: 0 }).verdict).toBe('no');
    expect(check({ type: 'integer', minimum: 1 }, { type: 'integer', exclusiveMinimum: 0 }).verdict).toBe(
      'yes',
    );
    expect(
      check({ type: 'number', minimum: 0, exclusiveMinimum: true }, { type: 'number', exclusiveMinimum: 0 })
        .verdict,
    ).toBe('yes');
  });
  it('multipleOf', () => {
    expect(check({ type: 'number', multipleOf: 0.5 }, { type: 'number', multipleOf: 0.25 }).verdict).toBe(
      'yes',
    );
    expect(check({ type: 'number', multipleOf: 0.25 }, { type: 'number', multipleOf: 0.5 }).verdict).toBe(
      'no',
    );
  });
  it('string lengths', () => {
    expect(check({ type: 'string', maxLength: 5 }, { type: 'string', maxLength: 10 }).verdict).toBe('yes');
    expect(check({ type: 'string', maxLength: 10 }, { type: 'string', maxLength: 5 })).toEqual({
      verdict: 'no',
      kinds: ['bound'],
    });
    expect(check({ type: 'string' }, { type: 'string', minLength: 1 })).toEqual({
      verdict: 'no',
      kinds: ['bound'],
    });
  });
  it('a pattern may already bound the length: undecidable, not a false alarm', () => {
    expect(
      check(
        { type: 'string', pattern: '^[A-Z]{3}$' },
        { type: 'string', pattern: '^[A-Z]{3}$', maxLength: 3 },
      ).verdict,
    ).toBe('unknown');
  });
});

describe('formats and patterns', () => {
  it('adding or removing a format', () => {
    expect(check({ type: 'string', format: 'uuid' }, { type: 'string' }).verdict).toBe('yes');
    expect(check({ type: 'string' }, { type: 'string', format: 'uuid' })).toEqual({
      verdict: 'no',
      kinds: ['format'],
    });
    expect(check({ type: 'string', format: 'email' }, { type: 'string', format: 'idn-email' }).verdict).toBe(
      'yes',
    );
    expect(check({ type: 'string', format: 'date' }, { type: 'string', format: 'date-time' }).verdict).toBe(
      'no',
    );
  });
  it('unknown formats accept everything', () => {
    expect(check({ type: 'string' }, { type: 'string', format: 'x-sku' }).verdict).toBe('yes');
  });
  it('number formats', () => {
    expect(
      check({ type: 'integer', minimum: 0, maximum: 100 }, { type: 'integer', format: 'int32' }).verdict,
    ).toBe('yes');
    expect(check({ type: 'integer' }, { type: 'integer', format: 'int32' }).verdict).toBe('no');
    expect(check({ type: 'integer', format: 'int32' }, { type: 'integer', format: 'int64' }).verdict).toBe(
      'yes',
    );
  });
  it('pattern vs pattern is undecidable; the same pattern is equal; an added pattern is a definite no', () => {
    expect(check({ type: 'string', pattern: '^a' }, { type: 'string', pattern: '^b' }).verdict).toBe(
      'unknown',
    );
    expect(check({ type: 'string', pattern: '^a' }, { type: 'string', pattern: '^a' }).verdict).toBe('yes');
    expect(check({ type: 'string' }, { type: 'string', pattern: '^a' })).toEqual({
      verdict: 'no',
      kinds: ['pattern'],
    });
    expect(check({ type: 'string', pattern: '^a' }, { type: 'string' }).verdict).toBe('yes');
    expect(check({ type: 'string' }, { type: 'string', pattern: '.*' }).verdict).toBe('yes');
  });
  it('enum values are tested against the pattern exactly', () => {
    expect(check({ enum: ['ab', 'ac'] }, { type: 'string', pattern: '^a' }).verdict).toBe('yes');
    expect(check({ enum: ['ab', 'bc'] }, { type: 'string', pattern: '^a' })).toEqual({
      verdict: 'no',
      kinds: ['pattern'],
    });
  });
});

describe('objects', () => {
  const base = obj({ id: { type: 'string' }, total: { type: 'number' } }, { required: ['id', 'total'] });
  it('identical and annotation-only differences', () => {
    const described = obj(
      { id: { type: 'string', description: 'the id' }, total: { type: 'number', examples: [1] } },
      { required: ['total', 'id'], title: 'Order' },
    );
    expect(check(base, described).verdict).toBe('yes');
    expect(check(described, base).verdict).toBe('yes');
  });
  it('a required field the left does not guarantee', () => {
    const optional = obj({ id: { type: 'string' }, total: { type: 'number' } }, { required: ['id'] });
    expect(check(optional, base)).toEqual({ verdict: 'no', kinds: ['required'] });
    expect(check(base, optional).verdict).toBe('yes');
  });
  it('a property removed from an open model leaves it unconstrained', () => {
    const removed = obj({ id: { type: 'string' } }, { required: ['id'] });
    const withOptional = obj({ id: { type: 'string' }, note: { type: 'string' } }, { required: ['id'] });
    expect(check(removed, withOptional)).toEqual({ verdict: 'no', kinds: ['property-undeclared'] });
    expect(check(withOptional, removed).verdict).toBe('yes');
  });
  it('additionalProperties false: extra properties are rejected', () => {
    const closed = obj({ id: { type: 'string' } }, { additionalProperties: false });
    const closedMore = obj(
      { id: { type: 'string' }, extra: { type: 'string' } },
      { additionalProperties: false },
    );
    expect(check(closedMore, closed)).toEqual({ verdict: 'no', kinds: ['property-forbidden'] });
    expect(check(closed, closedMore).verdict).toBe('yes');
    expect(check(obj({ id: { type: 'string' } }), closed)).toEqual({
      verdict: 'no',
      kinds: ['additional-properties'],
    });
  });
  it('property type conflicts are reported at the property', () => {
    const r = isSubset(obj({ qty: { type: 'string' } }), obj({ qty: { type: 'integer' } }));
    expect(r.verdict).toBe('no');
    expect(r.issues[0]?.instancePath).toEqual(['qty']);
    expect(r.issues[0]?.schemaPath).toBe('/properties/qty/type');
  });
  it('additionalProperties schemas and patternProperties', () => {
    const mapOf = (t: string) => ({ type: 'object', additionalProperties: { type: t } });
    expect(check(mapOf('integer'), mapOf('number')).verdict).toBe('yes');
    expect(check(mapOf('number'), mapOf('integer')).verdict).toBe('no');
    const pat = (t: string) => ({ type: 'object', patternProperties: { '^x-': { type: t } } });
    expect(check(pat('integer'), pat('number')).verdict).toBe('yes');
    expect(check(pat('string'), pat('number')).verdict).toBe('no');
  });
  it('min/maxProperties, propertyNames and dependentRequired', () => {
    expect(check({ type: 'object' }, { type: 'object', maxProperties: 3 }).verdict).toBe('no');
    expect(
      check(obj({ a: {}, b: {} }, { additionalProperties: false }), { type: 'object', maxProperties: 3 })
        .verdict,
    ).toBe('yes');
    expect(check(obj({ a: {} }, { required: ['a'] }), { type: 'object', minProperties: 1 }).verdict).toBe(
      'yes',
    );
    expect(
      check(obj({ ab: {} }, { additionalProperties: false }), {
        type: 'object',
        propertyNames: { maxLength: 2 },
      }).verdict,
    ).toBe('yes');
    expect(
      check(obj({ abc: {} }, { additionalProperties: false }), {
        type: 'object',
        propertyNames: { maxLength: 2 },
      }).verdict,
    ).toBe('no');
    expect(check({ type: 'object' }, { type: 'object', dependentRequired: { card: ['cvv'] } })).toEqual({
      verdict: 'no',
      kinds: ['required'],
    });
  });
});

describe('arrays', () => {
  it('items, counts and uniqueness', () => {
    const arr = (items: JsonSchema, extra: Record<string, unknown> = {}) => ({
      type: 'array',
      items,
      ...extra,
    });
    expect(check(arr({ type: 'integer' }), arr({ type: 'number' })).verdict).toBe('yes');
    const r = isSubset(arr({ type: 'number' }), arr({ type: 'integer' }));
    expect(r.issues[0]?.instancePath).toEqual(['[]']);
    expect(check(arr({}, { maxItems: 5 }), arr({}, { maxItems: 3 }))).toEqual({
      verdict: 'no',
      kinds: ['bound'],
    });
    expect(check(arr({}), arr({}, { uniqueItems: true }))).toEqual({ verdict: 'no', kinds: ['bound'] });
  });
  it('tuples in both draft-07 and 2020-12 forms', () => {
    const t07 = { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false };
    const t20 = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false };
    expect(check(t07, t20).verdict).toBe('yes');
    expect(check(t20, t07).verdict).toBe('no');
  });
  it('contains', () => {
    expect(check({ type: 'array' }, { type: 'array', contains: { type: 'string' } }).verdict).toBe('no');
    expect(
      check(
        { type: 'array', minItems: 1, items: { type: 'string' } },
        { type: 'array', contains: { type: 'string' } },
      ).verdict,
    ).toBe('yes');
  });
});

describe('combinators', () => {
  const card = obj({ kind: { const: 'card' }, last4: { type: 'string' } }, { required: ['kind', 'last4'] });
  const bank = obj({ kind: { const: 'bank' }, iban: { type: 'string' } }, { required: ['kind', 'iban'] });
  const crypto = obj(
    { kind: { const: 'crypto' }, wallet: { type: 'string' } },
    { required: ['kind', 'wallet'] },
  );
  it('a new oneOf variant is not in the old union; the old union is in the new one', () => {
    const old = { oneOf: [card, bank] };
    const next = { oneOf: [card, bank, crypto] };
    expect(check(next, old)).toEqual({ verdict: 'no', kinds: ['variant'] });
    expect(check(old, next).verdict).toBe('yes');
  });
  it('reordered variants are equal', () => {
    expect(check({ anyOf: [bank, card] }, { anyOf: [card, bank] }).verdict).toBe('yes');
  });
  it('a change inside a variant is reported through that variant', () => {
    const cardWide = obj(
      { kind: { const: 'card' }, last4: { type: ['string', 'null'] } },
      { required: ['kind', 'last4'] },
    );
    const r = isSubset({ oneOf: [cardWide, bank] }, { oneOf: [card, bank] });
    expect(r.verdict).toBe('no');
    expect(r.issues.map((i) => i.kind)).toEqual(['type']);
    expect(r.issues[0]?.instancePath).toEqual(['last4']);
  });
  it('oneOf with overlapping variants cannot be proven exclusive', () => {
    const a = obj({ x: { type: 'string' } });
    const b = obj({ y: { type: 'string' } });
    expect(check(a, { oneOf: [a, b] }).verdict).toBe('unknown');
  });
  it('a type array against a union of types', () => {
    expect(
      check({ type: ['string', 'null'] }, { anyOf: [{ type: 'string' }, { type: 'null' }] }).verdict,
    ).toBe('yes');
    expect(
      check({ type: ['string', 'null'] }, { oneOf: [{ type: 'string' }, { type: 'null' }] }).verdict,
    ).toBe('yes');
  });
  it('allOf is merged on the left and split on the right', () => {
    const split = { allOf: [obj({ id: { type: 'string' } }), { required: ['id'] }] };
    const merged = obj({ id: { type: 'string' } }, { required: ['id'] });
    expect(check(split, merged).verdict).toBe('yes');
    expect(check(merged, split).verdict).toBe('yes');
    expect(check(obj({ id: { type: 'string' } }), split)).toEqual({ verdict: 'no', kinds: ['required'] });
  });
  it('anyOf on the left: every branch must fit', () => {
    expect(
      check({ anyOf: [{ type: 'string' }, { type: 'integer' }] }, { type: ['string', 'number'] }).verdict,
    ).toBe('yes');
    expect(check({ anyOf: [{ type: 'string' }, { type: 'boolean' }] }, { type: 'string' })).toEqual({
      verdict: 'no',
      kinds: ['type'],
    });
  });
});

describe('undecidable keywords', () => {
  it('not: exact for enumerable exclusions, otherwise undecidable', () => {
    expect(check({ type: 'string' }, { type: 'string', not: { enum: ['x'] } })).toEqual({
      verdict: 'no',
      kinds: ['enum'],
    });
    expect(check({ enum: ['a', 'b'] }, { not: { enum: ['x'] } }).verdict).toBe('yes');
    expect(check({ type: 'string' }, { not: { type: 'string', pattern: '^x' } }).verdict).toBe('unknown');
    expect(check({ type: 'integer' }, { not: { type: 'string' } }).verdict).toBe('yes');
  });
  it('if/then/else: decided when the condition is implied or excluded, else undecidable', () => {
    const cond = {
      if: { properties: { kind: { const: 'card' } }, required: ['kind'] },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword under test
      then: { required: ['last4'] },
    };
    expect(
      check(
        obj({ kind: { const: 'card' }, last4: { type: 'string' } }, { required: ['kind', 'last4'] }),
        cond,
      ).verdict,
    ).toBe('yes');
    expect(check(obj({ kind: { const: 'card' } }, { required: ['kind'] }), cond).verdict).toBe('no');
    expect(check(obj({ kind: { const: 'bank' } }, { required: ['kind'] }), cond).verdict).toBe('yes');
    expect(check(obj({ kind: { type: 'string' } }), cond).verdict).toBe('unknown');
  });
  it('the same opaque constraint on both sides is satisfied', () => {
    const dep = { type: 'object', dependentSchemas: { a: { required: ['b'] } } };
    expect(check(dep, { ...dep }).verdict).toBe('yes');
    expect(check({ type: 'object' }, dep).verdict).toBe('unknown');
  });
  it('opaque constraints on the left turn a "no" into "unknown"', () => {
    expect(check({ type: 'string', not: { const: 'x' } }, { type: 'string', maxLength: 3 }).verdict).toBe(
      'unknown',
    );
  });
});

describe('recursion', () => {
  function tree(valueType: string, extra: Record<string, unknown> = {}): JsonSchema {
    const node: Record<string, unknown> = {
      type: 'object',
      properties: { value: { type: valueType } },
      ...extra,
    };
    (node.properties as Record<string, unknown>).children = { type: 'array', items: node };
    return node;
  }
  it('terminates on cyclic schemas and compares them co-inductively', () => {
    expect(check(tree('integer'), tree('number')).verdict).toBe('yes');
    expect(check(tree('number'), tree('integer')).verdict).toBe('no');
    expect(check(tree('string'), tree('string', { required: ['value'] }))).toEqual({
      verdict: 'no',
      kinds: ['required'],
    });
  });
  it('a recursive schema against an equal copy', () => {
    expect(check(tree('string'), tree('string')).verdict).toBe('yes');
  });
});
