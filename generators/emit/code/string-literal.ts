/**
 * A single-quoted string literal escaped exactly as TypeScript's printer escapes a synthesized one
 * (`escapeNonAsciiString` in its utilities): control characters, quote and backslash, line/paragraph
 * separators, and every non-ASCII UTF-16 unit as `\uXXXX` (upper-case hex; astral characters as two units).
 * Both printers use it: printer.ts for the emitters' trees, type-source/print.ts for the library's types.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be escaped
const ESCAPED = /[\\'\u0000-\u001f\u2028\u2029\u0085]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is all of ASCII, NUL included
const NON_ASCII = /[^\u0000-\u007f]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\t': '\\t',
  '\v': '\\v',
  '\f': '\\f',
  '\b': '\\b',
  '\r': '\\r',
  '\n': '\\n',
  '\\': '\\\\',
  "'": "\\'",
};

const unicodeEscape = (char: string): string =>
  `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

function escapeCharacter(char: string, offset: number, input: string): string {
  if (char === '\0') {
    // `\0` before a digit would read as an octal escape.
    const next = input.charCodeAt(offset + 1);
    return next >= 0x30 && next <= 0x39 ? '\\x00' : '\\0';
  }
  return NAMED_ESCAPES[char] ?? unicodeEscape(char);
}

export function singleQuoted(value: string): string {
  return `'${value.replace(ESCAPED, escapeCharacter).replace(NON_ASCII, unicodeEscape)}'`;
}
