import { describe, expect, it } from 'vitest';
import { contentKey } from './content-key.ts';

describe('contentKey', () => {
  it('is equal for equal graphs, whatever the objects', () => {
    const a = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
    expect(contentKey(a)).toBe(contentKey(structuredClone(a)));
  });

  it('differs for any changed value, key, order or type', () => {
    const base = { a: 1, b: 'x', c: [true, null] };
    const keys = [
      base,
      { a: 2, b: 'x', c: [true, null] },
      { a: 1, b: 'y', c: [true, null] },
      { b: 'x', a: 1, c: [true, null] },
      { a: '1', b: 'x', c: [true, null] },
      { a: 1, b: 'x', c: [true, undefined] },
      { a: 1, b: 'x', c: [true, null], d: undefined },
      { a: 1, bx: '', c: [true, null] },
    ].map(contentKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('tells a shared subschema from two copies of it, and keeps cycles', () => {
    const money = { title: 'Money', type: 'number' };
    const shared = { price: money, total: money };
    const copies = { price: { ...money }, total: { ...money } };
    expect(contentKey(shared)).not.toBe(contentKey(copies));
    const node: Record<string, unknown> = { type: 'object' };
    node.properties = { child: node };
    const same: Record<string, unknown> = { type: 'object' };
    same.properties = { child: same };
    expect(contentKey(node)).toBe(contentKey(same));
  });

  it('cannot be fooled by strings that look like structure', () => {
    expect(contentKey(['a', 'b'])).not.toBe(contentKey(['a1:b']));
    expect(contentKey({ a: '' })).not.toBe(contentKey({ '': 'a' }));
  });

  it('hashes bytes by their content, apart from the same bytes as text or list', () => {
    const bytes = Buffer.from('asyncapi: 3.0.0\n');
    expect(contentKey(bytes)).toBe(contentKey(Buffer.from(bytes)));
    expect(contentKey(bytes)).not.toBe(contentKey(Buffer.from('asyncapi: 3.0.1\n')));
    expect(contentKey(bytes.subarray(1))).not.toBe(contentKey(bytes));
    expect(contentKey(bytes)).not.toBe(contentKey('asyncapi: 3.0.0\n'));
    expect(contentKey([Buffer.from('a'), 'b'])).not.toBe(contentKey([Buffer.from('a1:b')]));
  });
});
