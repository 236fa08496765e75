/**
 * The compiler-free re-printer on hand-written library output: the layout it must write (checked against
 * literal text, independently of the TypeScript oracle) and the input it must refuse.
 */
import { describe, expect, it } from 'vitest';
import { reprintDeclarations, TypeSourceError } from '../../ts-source.ts';

const lines = (...text: string[]) => `${text.join('\n')}\n`;
const texts = (source: string) => reprintDeclarations(source).map((d) => d.text);

describe('reprintDeclarations', () => {
  it('lays out interfaces, type literals and tuples one member per line, 2-space indented', () => {
    const source = lines(
      'export interface Order extends Base, Audit {',
      'id: string',
      'lines?: [string, number, ...(unknown)[]]',
      'meta: ({',
      'a: {',
      '[k: string]: unknown | undefined',
      '}',
      '} | null)',
      'empty: {}',
      'none: []',
      '}',
    );
    expect(reprintDeclarations(source)).toEqual([
      {
        name: 'Order',
        text: [
          'export interface Order extends Base, Audit {',
          '  id: string;',
          '  lines?: [',
          '    string,',
          '    number,',
          '    ...(unknown)[]',
          '  ];',
          '  meta: {',
          '    a: {',
          '      [k: string]: unknown | undefined;',
          '    };',
          '  } | null;',
          '  empty: {};',
          '  none: [',
          '  ];',
          '}',
        ].join('\n'),
      },
    ]);
  });

  it('drops only the parentheses around a whole declared type, keeps precedence as the library wrote it', () => {
    const source = lines(
      'export type A = ((B | C))',
      'export type D = ("x")[]',
      'export interface E {',
      'f: (G & H) | I',
      'g: []|[J][]',
      '"h"?: (K)',
      '}',
    );
    expect(texts(source)).toEqual([
      'export type A = (B | C);',
      "export type D = ('x')[];",
      "export interface E {\n  f: (G & H) | I;\n  g: [\n  ] | [\n    J\n  ][];\n  'h'?: K;\n}",
    ]);
  });

  it('single-quotes strings with the printer escapes: quotes, controls, separators, every non-ASCII unit', () => {
    const value = 'it\'s "q" \\ \t\n\u0000x\u00001 é 😀 \u2028 \u0085 \u007f';
    const source = lines('export interface S {', `${JSON.stringify(value)}: ${JSON.stringify(value)}`, '}');
    const quoted = "'it\\'s \"q\" \\\\ \\t\\n\\0x\\x001 \\u00E9 \\uD83D\\uDE00 \\u2028 \\u0085 \u007f'";
    expect(texts(source)).toEqual([`export interface S {\n  ${quoted}: ${quoted};\n}`]);
  });

  it('keeps numbers as written, minus sign and exponent included', () => {
    expect(texts(lines('export type N = (-1.5e+21 | 0 | 42 | true | null)'))).toEqual([
      'export type N = -1.5e+21 | 0 | 42 | true | null;',
    ]);
  });

  it('restyles JSDoc and re-indents every comment line to its member', () => {
    const long = 'word '.repeat(30).trim();
    const source = lines(
      '/**',
      ` * ${long}`,
      ' */',
      'export interface C {',
      'a: {',
      '/**',
      ' * first',
      ' *',
      ' *   indented',
      ' */',
      'b: string',
      '}',
      '}',
    );
    expect(texts(source)).toEqual([
      [
        '/**',
        ` * ${'word '.repeat(20).trim()}`,
        ` * ${'word '.repeat(10).trim()}`,
        ' */',
        'export interface C {',
        '  a: {',
        '    /**',
        '     * first',
        '     *',
        '     *   indented',
        '     */',
        '    b: string;',
        '  };',
        '}',
      ].join('\n'),
    ]);
  });

  it('prints a comment the restyling leaves alone (a carriage return) trimmed line by line', () => {
    const source = lines('export interface R {', '/**', ' * one\r', ' *    two', ' */', 'x: string', '}');
    expect(texts(source)).toEqual([
      'export interface R {\n  /**\n   * one\n   *    two\n   */\n  x: string;\n}',
    ]);
  });

  it("reads a declaration glued to an interface's `}` as the printer did: its JSDoc trails the interface", () => {
    const source = lines('export interface A {', '}/**', ' * Doc.', ' */', 'export interface B {', '}');
    expect(reprintDeclarations(source)).toEqual([
      { name: 'A', text: 'export interface A {\n} /** Doc. */' },
      { name: 'B', text: 'export interface B {\n}' },
    ]);
  });

  it.each([
    ['an enum', 'export enum Color {\nRed = "red"\n}', /enum declaration .*tsEnumNames/],
    ['a function type', 'export type F = (a: A) => void', /unexpected character ">" at line 1, column 25/],
    ['a generic reference', 'export type G = Array<string>', /unexpected character "<"/],
    ['a keyword operator', 'export type K = keyof T', /expected a type the library writes, found `keyof`/],
    ['a value declaration', 'export const x = 1', /expected an `interface` or `type` declaration/],
    [
      'two aliases on one line',
      'export type A = B export type C = D',
      /expected a line break, found `export`/,
    ],
    ['a comment inside a type', 'export type A =\n/** x */\nB', /expected no comment here/],
    [
      'a comment after a token on its line',
      'export type A = /** x */\nB',
      /no comment after the previous token/,
    ],
    [
      'a comment after an alias',
      'export type A = B /** x */\nexport type C = D',
      /no comment after a type alias/,
    ],
    ['a single-quoted string', "export type S = 'a'", /unexpected character "'"/],
    ['an unterminated string', 'export type S = "a', /unterminated string/],
    ['an unterminated comment', '/** x', /unterminated comment/],
    ['a leading union bar', 'export type U = | A | B', /leading operator is not supported/],
    ['a truncated interface', 'export interface I {\na: string', /expected `}`, found the end of the source/],
  ])('refuses %s with the place and what was expected', (_what, source, message) => {
    expect(() => reprintDeclarations(source)).toThrow(TypeSourceError);
    expect(() => reprintDeclarations(source)).toThrow(message);
  });
});
