/**
 * Properties of the subset engine, with ajv as ground truth: a "yes" (A ⊆ B) is never refuted by an instance
 * ajv accepts under A and rejects under B; every schema includes itself; and when A is enumerable the answer
 * is exact (yes exactly when ajv accepts every value under B).
 */
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../generators/model/types.ts';
import { isSubset } from './schema-subset.ts';

const names = ['a', 'b', 'c'] as const;
const leaf: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({}),
  fc.record({ type: fc.constantFrom('string', 'integer', 'number', 'boolean', 'null') }),
  fc.record({ type: fc.constant(['string', 'null']) }),
  fc.record({
    enum: fc.uniqueArray(fc.constantFrom('x', 'y', 'z', 1, 2, null), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ const: fc.constantFrom('x', 1, true) }),
  fc.record(
    {
      type: fc.constant('integer'),
      minimum: fc.integer({ min: -2, max: 2 }),
      maximum: fc.integer({ min: 0, max: 5 }),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constant('number'),
      exclusiveMinimum: fc.integer({ min: -2, max: 2 }),
      multipleOf: fc.constantFrom(0.5, 1, 2),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constant('string'),
      minLength: fc.integer({ min: 0, max: 2 }),
      maxLength: fc.integer({ min: 1, max: 3 }),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constant('string'), pattern: fc.constantFrom('^x', '^y', 'z$') }),
);

const schema: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ s: Record<string, unknown> }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .record(
        {
          props: fc.dictionary(fc.constantFrom(...names), tie('s'), { maxKeys: 3 }),
          required: fc.uniqueArray(fc.constantFrom(...names), { maxLength: 2 }),
          closed: fc.boolean(),
          typed: fc.boolean(),
        },
        { requiredKeys: ['props', 'required', 'closed', 'typed'] },
      )
      .map(({ props, required, closed, typed }) => ({
        ...(typed ? { type: 'object' } : {}),
        properties: props,
        ...(required.length > 0 ? { required } : {}),
        ...(closed ? { additionalProperties: false } : {}),
      })),
    fc.record(
      { type: fc.constant('array'), items: tie('s'), maxItems: fc.integer({ min: 0, max: 3 }) },
      { requiredKeys: ['type', 'items'] },
    ),
    fc.record({ anyOf: fc.array(tie('s'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ oneOf: fc.array(tie('s'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ allOf: fc.array(tie('s'), { minLength: 1, maxLength: 2 }) }),
    fc.record({ not: leaf }),
  ),
})).s;

const scalar = fc.constantFrom<unknown>('x', 'y', 'xz', '', 'yyyy', 0, 1, 2, -1, 1.5, 3, true, false, null);
const instance: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.dictionary(fc.constantFrom(...names, 'd'), tie('v'), { maxKeys: 4 }),
    fc.array(tie('v'), { maxLength: 4 }),
  ),
})).v;

const ajv = new Ajv({ strict: false });

describe('schema-subset soundness (property-based, ajv as ground truth)', () => {
  it('"yes" is never refuted by an instance', () => {
    fc.assert(
      fc.property(schema, schema, fc.array(instance, { minLength: 20, maxLength: 40 }), (a, b, samples) => {
        if (isSubset(a as JsonSchema, b as JsonSchema).verdict !== 'yes') return;
        const va = ajv.compile(a);
        const vb = ajv.compile(b);
        for (const x of samples) {
          if (va(x) && !vb(x))
            throw new Error(
              `yes refuted by ${JSON.stringify(x)}: A=${JSON.stringify(a)} B=${JSON.stringify(b)}`,
            );
        }
      }),
      { numRuns: 400, seed: 20_240_611 },
    );
  });

  it('every schema includes itself and a structural copy of itself', () => {
    fc.assert(
      fc.property(schema, (a) => {
        expect(isSubset(a as JsonSchema, a as JsonSchema).verdict).toBe('yes');
        expect(isSubset(a as JsonSchema, structuredClone(a) as JsonSchema).verdict).toBe('yes');
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('an enumerable left side is decided exactly, in agreement with ajv', () => {
    const values = fc.uniqueArray(scalar, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(values, schema, (enumValues, b) => {
        const verdict = isSubset({ enum: enumValues }, b as JsonSchema).verdict;
        const vb = ajv.compile(b);
        expect(verdict).toBe(enumValues.every((v) => vb(v)) ? 'yes' : 'no');
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
