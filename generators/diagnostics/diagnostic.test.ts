import { describe, expect, it } from 'vitest';
import { type Diagnostic, ruleOf, sortDiagnostics } from './diagnostic.ts';
import { formatDiagnostic, formatDiagnosticLine } from './format.ts';

const base: Diagnostic = {
  stage: 'parse',
  code: 'invalid-document',
  severity: 'error',
  file: 'asyncapi/order.yaml',
  pointer: '/info',
  message: 'broken',
};

describe('ruleOf', () => {
  it('puts codes under their stage and keeps rule ids', () => {
    expect(ruleOf(base)).toBe('parse/invalid-document');
    expect(ruleOf({ stage: 'model', code: 'misplaced-extension' })).toBe('model/misplaced-extension');
    expect(ruleOf({ stage: 'model', code: 'lint/invalid-extension' })).toBe('lint/invalid-extension');
    expect(ruleOf({ stage: 'check', code: 'topology/unmatched-subscription' })).toBe(
      'topology/unmatched-subscription',
    );
  });
});

describe('formatDiagnostic', () => {
  it('puts the place first, then severity, message and rule, then what is expected and the fix', () => {
    const text = formatDiagnostic(
      { ...base, line: 3, column: 5, expected: 'an object', hint: 'fix it' },
      { cwd: process.cwd() },
    );
    expect(text).toBe(
      [
        'asyncapi/order.yaml:3:5 /info',
        '  error: broken  [parse/invalid-document]',
        '    expected: an object',
        '    fix: fix it',
      ].join('\n'),
    );
  });

  it('leaves out what is unknown, and colours only when asked', () => {
    const plain = formatDiagnostic({ ...base, pointer: '', severity: 'warning' }, { label: 'HEAD~1: ' });
    expect(plain).toBe('HEAD~1: asyncapi/order.yaml\n  warning: broken  [parse/invalid-document]');
    expect(formatDiagnostic(base, { color: true })).toContain('\u001b[31merror\u001b[39m');
  });
});

describe('formatDiagnosticLine', () => {
  it.each([
    [{ ...base, line: 3, column: 5 }, 'asyncapi/order.yaml:3:5 /info — broken'],
    [{ ...base, line: 3, column: 5, hint: 'fix it' }, 'asyncapi/order.yaml:3:5 /info — broken (fix it)'],
    [{ ...base, pointer: '' }, 'asyncapi/order.yaml — broken'],
    [{ ...base }, 'asyncapi/order.yaml /info — broken'],
  ])('prints %j', (diagnostic, text) => {
    expect(formatDiagnosticLine(diagnostic)).toBe(text);
  });
});

describe('sortDiagnostics', () => {
  it('orders by file, line, column and pointer, and drops repeats', () => {
    const b = { ...base, file: 'b.yaml', line: 1, column: 1 };
    const a2 = { ...base, file: 'a.yaml', line: 9, column: 1 };
    const a1 = { ...base, file: 'a.yaml', line: 2, column: 7 };
    expect(sortDiagnostics([b, a2, a1, { ...a1 }])).toEqual([a1, a2, b]);
  });
});
