import { describe, expect, it } from 'vitest';
import { formatError, sortErrors } from './errors.ts';
import type { ContractError } from './types.ts';

const base: ContractError = {
  code: 'invalid-document',
  file: 'asyncapi/order.yaml',
  pointer: '/info',
  message: 'broken',
};

describe('formatError', () => {
  it.each([
    [{ ...base, line: 3, column: 5 }, 'asyncapi/order.yaml:3:5 /info — broken'],
    [{ ...base, line: 3, column: 5, hint: 'fix it' }, 'asyncapi/order.yaml:3:5 /info — broken (fix it)'],
    [{ ...base, pointer: '' }, 'asyncapi/order.yaml — broken'],
    [{ ...base }, 'asyncapi/order.yaml /info — broken'],
  ])('prints %j', (error, text) => {
    expect(formatError(error)).toBe(text);
  });
});

describe('sortErrors', () => {
  it('orders by file, line, column and pointer, and drops repeats', () => {
    const b = { ...base, file: 'b.yaml', line: 1, column: 1 };
    const a2 = { ...base, file: 'a.yaml', line: 9, column: 1 };
    const a1 = { ...base, file: 'a.yaml', line: 2, column: 7 };
    expect(sortErrors([b, a2, a1, { ...a1 }])).toEqual([a1, a2, b]);
  });
});
