import { describe, expect, it } from 'vitest';
import { literal } from './literal.ts';
import { importDeclaration, jsDocBody, printGroups, printNode, wrap } from './print.ts';
import { reprintDeclarations } from './ts-source.ts';

describe('wrap', () => {
  it.each<[string, string, number, string[]]>([
    ['keeps a short line', 'a b c', 10, ['a b c']],
    ['breaks at spaces before the width', 'aaa bbb ccc ddd', 8, ['aaa bbb', 'ccc ddd']],
    ['never splits a long word', 'aaaaaaaaaaaa b', 5, ['aaaaaaaaaaaa', 'b']],
  ])('%s', (_title, line, width, expected) => {
    expect(wrap(line, width)).toEqual(expected);
  });
});

describe('jsDocBody', () => {
  it.each<[string, (string | undefined)[], string | undefined]>([
    ['nothing for no text', [undefined, '  '], undefined],
    ['one short line stays on one line', ['Hello.'], '* Hello. '],
    ['paragraphs separated by an empty line', ['One.', 'Two.'], '*\n * One.\n *\n * Two.\n '],
    ['a comment terminator in the text is escaped', ['a */ b'], '* a *\\/ b '],
  ])('%s', (_title, paragraphs, expected) => {
    expect(jsDocBody(...paragraphs)).toBe(expected);
  });
});

describe('printing', () => {
  it('indents with two spaces, also inside JSDoc', () => {
    expect(printNode(literal({ a: { b: [{ c: 1 }] } }))).toBe(
      '{\n  a: {\n    b: [\n      {\n        c: 1\n      }\n    ]\n  }\n}',
    );
  });

  it('groups digits of large integers (milliseconds read better)', () => {
    expect(printNode(literal([999, 10_000, 86_400_000, 1.5]))).toBe('[999, 10_000, 86_400_000, 1.5]');
  });

  it('separates groups by one blank line, breaks import lists longer than the line width', () => {
    const names = Array.from({ length: 12 }, (_, i) => `SomeLongTypeName${i}`);
    const text = printGroups([
      [importDeclaration(['b', 'a'], 'x', true)!, importDeclaration(names, './types.ts', true)!],
      [],
    ]);
    expect(text).toBe(
      [
        "import type { a, b } from 'x';",
        'import type {',
        ...[0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `  SomeLongTypeName${i},`),
        "} from './types.ts';",
        '',
      ].join('\n'),
    );
  });

  it('returns no import for an empty name list', () => {
    expect(importDeclaration([], 'x', false)).toBeUndefined();
    expect(importDeclaration(['a'], 'x', false)?.kind).toBe('ImportDeclaration');
  });
});

describe('reprintDeclarations', () => {
  it('restyles library output: single quotes, no wrapping parentheses, house JSDoc, names reported', () => {
    const source = [
      '/**',
      ' * A thing.',
      ' */',
      'export type Kind = ("a" | "b")',
      'export interface Thing {',
      '"dash-key"?: ("x" | ("y" | "z"))[]',
      '}',
      '',
    ].join('\n');
    expect(reprintDeclarations(source)).toEqual([
      { name: 'Kind', text: "/** A thing. */\nexport type Kind = 'a' | 'b';" },
      { name: 'Thing', text: "export interface Thing {\n  'dash-key'?: ('x' | ('y' | 'z'))[];\n}" },
    ]);
  });
});
