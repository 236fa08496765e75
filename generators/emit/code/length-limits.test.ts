import { Ajv, type Options } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileValidator } from './ajv-standalone.ts';
import { useGuardedLengthLimits } from './length-limits.ts';

// The options the generator compiles payloads with that bear on these keywords ($data for the references).
const OPTIONS: Options = { allErrors: true, strict: false, $data: true, code: { optimize: false } };

/** One schema compiled by stock ajv and by ajv with the guarded keywords: both must give the same errors. */
function pair(schema: object) {
  const guarded = new Ajv(OPTIONS);
  useGuardedLengthLimits(guarded);
  return { stock: new Ajv(OPTIONS).compile(schema), guarded: guarded.compile(schema) };
}

// Strings that make UTF-16 units and code points differ: astral characters (two units, one code point), lone and
// reversed surrogates (one code point per unit), multi-byte BMP characters, plain ASCII.
const piece = fc.constantFrom(
  'a',
  'é',
  '中',
  '😀',
  '\u{10FFFF}',
  '\uD800',
  '\uDC00',
  '\uDC00\uD800',
  '\uD83D',
);
const adversarial = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));
const limit = fc.integer({ min: 0, max: 14 });

// Compiled once per pair of limits: compiling is what takes the time, not validating.
const byLimits = new Map<string, ReturnType<typeof pair>>();
function limited(max: number, min: number) {
  const key = `${max}/${min}`;
  let compiled = byLimits.get(key);
  if (!compiled) {
    compiled = pair({ type: 'string', maxLength: max, minLength: min });
    byLimits.set(key, compiled);
  }
  return compiled;
}

function verdicts(validate: ReturnType<Ajv['compile']>, data: unknown) {
  return { valid: validate(data), errors: validate.errors ?? null };
}

describe('maxLength and minLength with a length guard before counting code points', () => {
  it('give stock ajv verdicts and errors for strings at and around the limit (property)', () => {
    fc.assert(
      fc.property(adversarial, limit, limit, (text, max, min) => {
        const { stock, guarded } = limited(max, min);
        expect(verdicts(guarded, text)).toEqual(verdicts(stock, text));
      }),
      { numRuns: 2000 },
    );
  });

  it('give stock ajv verdicts with limits read from the data ($data)', () => {
    const schema = {
      type: 'object',
      properties: {
        text: { type: 'string', maxLength: { $data: '1/max' }, minLength: { $data: '1/min' } },
        max: {},
        min: {},
      },
    };
    const { stock, guarded } = pair(schema);
    fc.assert(
      fc.property(adversarial, limit, limit, (text, max, min) => {
        const data = { text, max, min };
        expect(verdicts(guarded, data)).toEqual(verdicts(stock, data));
      }),
      { numRuns: 1000 },
    );
  });

  it('count code points at the edges: astral characters at the limit, lone surrogates, the empty string', () => {
    const { stock, guarded } = pair({ type: 'string', minLength: 2, maxLength: 3 });
    for (const text of [
      '😀',
      '😀😀',
      '😀😀😀',
      '😀😀😀😀',
      'ab😀',
      'a\uD800',
      '\uD800\uD800\uD800\uD800',
      '',
    ]) {
      expect(verdicts(guarded, text)).toEqual(verdicts(stock, text));
    }
    expect(guarded('😀😀😀')).toBe(true); // 6 units, 3 code points: within maxLength 3
    expect(guarded('😀')).toBe(false); // 2 units, 1 code point: under minLength 2
  });

  it("is what the generator compiles: the guard, then ajv's own helper", () => {
    const { code } = compileValidator(
      'draft-07',
      { Name: { type: 'string', minLength: 1, maxLength: 200 } },
      'Name',
      'validateName',
    );
    expect(code).toMatch(/data\.length > 200 && func\d+\(data\) > 200/);
    expect(code).toMatch(/data\.length < 2 && func\d+\(data\) < 1/);
  });
});
