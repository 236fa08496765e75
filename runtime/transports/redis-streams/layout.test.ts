import { describe, expect, it } from 'vitest';
import { decodeEntry } from './layout.ts';

describe('decodeEntry', () => {
  it('reads `data` and `metadata` by their exact names, not by fields of the same length', () => {
    // The look-alikes come last: a name matched by length alone would take their values.
    const fields = [
      'data',
      '{"body":1}',
      'metadata',
      '{"a":"b"}',
      'date',
      'not the body',
      'metadatb',
      '{"x":"y"}',
    ];
    const entry = decodeEntry(fields.map((field) => Buffer.from(field)));
    expect(entry.body.toString()).toBe('{"body":1}');
    expect(entry.headers).toEqual({ a: 'b' });
  });

  it('gives an empty body and no headers when the entry has neither field', () => {
    const entry = decodeEntry([Buffer.from('other'), Buffer.from('x')]);
    expect(entry.body.length).toBe(0);
    expect(entry.headers).toEqual({});
  });
});
