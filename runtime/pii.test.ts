import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashKeyPart, isPii, maskPii, PII_MASK, piiValues, presentPii, redactor, redactText } from './pii.ts';

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

const value = {
  email: 'ann@example.com',
  address: { line1: '1 Main St', city: 'Paris' },
  lines: [{ name: 'Ann', qty: 1 }, { name: 'Bob' }, { qty: 2 }],
  'a/b': 'slash',
  keep: 'public',
};

describe('maskPii', () => {
  it('replaces marked values, through arrays and escaped names, and leaves the rest', () => {
    const masked = maskPii(value, ['/email', '/address/line1', '/lines/*/name', '/a~1b', '/missing/x']);
    expect(masked).toEqual({
      email: PII_MASK,
      address: { line1: PII_MASK, city: 'Paris' },
      lines: [{ name: PII_MASK, qty: 1 }, { name: PII_MASK }, { qty: 2 }],
      'a/b': PII_MASK,
      keep: 'public',
    });
  });

  it('masks a whole marked object and never changes its input', () => {
    const before = structuredClone(value);
    expect(maskPii(value, ['/address'])).toMatchObject({ address: PII_MASK });
    expect(value).toEqual(before);
  });
});

describe('the marked values of a payload', () => {
  it('lists the pointers present, with indexes for `*`', () => {
    expect(presentPii(value, ['/email', '/lines/*/name', '/missing'])).toEqual([
      '/email',
      '/lines/0/name',
      '/lines/1/name',
    ]);
  });

  it('collects every leaf under a marked field, longest first, short ones left out', () => {
    expect(piiValues({ ...value, pin: 7, ok: true }, ['/address', '/lines/*/name', '/pin', '/ok'])).toEqual([
      '1 Main St',
      'Paris',
      'true',
      'Ann',
      'Bob',
    ]);
  });
});

describe('redactText', () => {
  it('replaces every occurrence, the longest value first, then bounds the length', () => {
    const text = 'mail to ann@example.com failed; ann@example.com is "ann"';
    expect(redactText(text, ['ann@example.com', 'ann'])).toBe('mail to *** failed; *** is "***"');
    const long = redactText(`${'x'.repeat(2000)} ann@example.com`, ['ann@example.com']);
    expect(long.length).toBe(1000);
    expect(long).toMatch(/… \(\d+ more characters\)$/);
  });

  it('a redactor binds the values of one payload', () => {
    const redact = redactor(value, ['/email']);
    expect(redact('no mailbox ann@example.com')).toBe('no mailbox ***');
    expect(redactor(value, undefined)('ann@example.com')).toBe('ann@example.com');
  });
});

describe('hashKeyPart', () => {
  it('is the base64url SHA-256 of the value: stable, and not the value', () => {
    const expected = createHash('sha256').update('ann@example.com').digest('base64url');
    expect(hashKeyPart('ann@example.com')).toBe(`sha256:${expected}`);
    expect(hashKeyPart('ann@example.com')).toBe(hashKeyPart('ann@example.com'));
    expect(hashKeyPart('bob@example.com')).not.toBe(hashKeyPart('ann@example.com'));
  });
});
