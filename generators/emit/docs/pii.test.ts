import { describe, expect, it } from 'vitest';
import { isPii, MASK, maskPii } from './pii.ts';

describe('isPii', () => {
  it.each([
    ['/email', ['/email'], true],
    ['/emails', ['/email'], false],
    ['/address/line1', ['/address'], true],
    ['/address', ['/address/line1'], false],
    ['/lines/*/name', ['/lines/*/name'], true],
    ['/lines/*/name', ['/lines/0/name'], true],
    ['/contacts/*', ['/contacts/*/phone'], false],
    ['/a', [], false],
  ] as const)('%s with marks %j -> %s', (pointer, marks, expected) => {
    expect(isPii(pointer, marks)).toBe(expected);
  });
});

describe('maskPii', () => {
  const value = {
    email: 'ann@example.com',
    address: { line1: '1 Main St', city: 'Paris' },
    lines: [{ name: 'Ann', qty: 1 }, { name: 'Bob' }, { qty: 2 }],
    'a/b': 'slash',
    keep: 'public',
  };

  it('replaces marked values, through arrays and escaped names, and leaves the rest', () => {
    const masked = maskPii(value, ['/email', '/address/line1', '/lines/*/name', '/a~1b', '/missing/x']);
    expect(masked).toEqual({
      email: MASK,
      address: { line1: MASK, city: 'Paris' },
      lines: [{ name: MASK, qty: 1 }, { name: MASK }, { qty: 2 }],
      'a/b': MASK,
      keep: 'public',
    });
  });

  it('masks a whole marked object and never changes its input', () => {
    const before = structuredClone(value);
    expect(maskPii(value, ['/address'])).toMatchObject({ address: MASK });
    expect(value).toEqual(before);
  });
});
