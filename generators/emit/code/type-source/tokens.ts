/**
 * Splits the library's output into tokens. Only what its generator writes is recognised: ASCII identifiers
 * (its names come from `toSafeString`), JSON strings and numbers (it writes literals with `JSON.stringify`),
 * block comments and a few punctuators. Anything else throws, so unexpected input is never printed wrongly.
 */
import type { Comment } from './syntax.ts';
import { indentWidth, isLineBreak } from '../ts-layout.ts';

export type TokenKind = 'word' | 'string' | 'number' | 'punctuation' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Source text (a string token's text keeps its quotes). */
  readonly text: string;
  /** A string token's value. */
  readonly value: string;
  /** Offset in the source, for error messages. */
  readonly position: number;
  /** Whether a line break separates this token from the previous one (`T\n[k: string]` is not `T[]`). */
  readonly lineBreakBefore: boolean;
  /** Comments on lines of their own between the previous token and this one (TypeScript's leading comments). */
  readonly comments: readonly Comment[];
  /**
   * Comments on the previous token's line, after it: TypeScript reads them as trailing comments of what ends
   * there. The library writes one only when it glues a declaration to the previous interface's `}`.
   */
  readonly trailingComments: readonly Comment[];
}

export class TypeSourceError extends Error {
  override readonly name = 'TypeSourceError';
}

/** `line L, column C` of an offset, for messages. */
export function locate(source: string, position: number): string {
  const before = source.slice(0, position);
  const line = before.split('\n').length;
  return `line ${line}, column ${position - before.lastIndexOf('\n')}`;
}

const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y;
// JSON.stringify's numbers: no leading `+`, `.5`, hex or separators.
const NUMBER = /(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// A JSON string: no raw line break, every backslash starts an escape.
const STRING = /"(?:[^"\\\n\r]|\\.)*"/y;
const PUNCTUATION = new Set(['{', '}', '(', ')', '[', ']', ':', '?', '|', '&', ',', '=', ';', '-']);
const AFTER_COMMENT = /[ \t]*(?:\r?\n|$)/y;
/** Shared by the many tokens without comments (read only). */
const NO_COMMENTS: readonly Comment[] = [];

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  let lineBreakBefore = false;
  let comments = NO_COMMENTS as Comment[];
  let trailingComments = NO_COMMENTS as Comment[];
  const push = (kind: TokenKind, text: string, value = text) => {
    tokens.push({ kind, text, value, position, lineBreakBefore, comments, trailingComments });
    position += text.length;
    lineBreakBefore = false;
    comments = NO_COMMENTS as Comment[];
    trailingComments = NO_COMMENTS as Comment[];
  };
  while (position < source.length) {
    const char = source[position]!;
    if (char === ' ' || char === '\t') {
      position++;
    } else if (char === '\n' || char === '\r') {
      position++;
      lineBreakBefore = true;
    } else if (char === '"') {
      const text = match(STRING, source, position);
      if (text === undefined) throw new TypeSourceError(`unterminated string at ${locate(source, position)}`);
      push('string', text, text.includes('\\') ? parseJsonString(text, source, position) : text.slice(1, -1));
    } else if (PUNCTUATION.has(char)) {
      push('punctuation', char);
    } else if (char >= '0' && char <= '9') {
      push('number', match(NUMBER, source, position)!);
    } else if (source.startsWith('/*', position)) {
      const comment = readComment(source, position);
      if (lineBreakBefore || tokens.length === 0) comments = [...comments, comment];
      else trailingComments = [...trailingComments, comment];
      position += comment.text.length;
      if (match(AFTER_COMMENT, source, position) === undefined) {
        throw new TypeSourceError(`code after a comment on its line at ${locate(source, position)}`);
      }
    } else if (source.startsWith('...', position)) {
      push('punctuation', '...');
    } else {
      const word = match(WORD, source, position);
      if (word === undefined) {
        throw new TypeSourceError(
          `unexpected character ${JSON.stringify(char)} at ${locate(source, position)}`,
        );
      }
      push('word', word);
    }
  }
  if (comments.length > 0) throw new TypeSourceError('a comment at the end of the source documents nothing');
  push('end', '');
  return tokens;
}

function readComment(source: string, position: number): Comment {
  const end = source.indexOf('*/', position + 2);
  if (end < 0) throw new TypeSourceError(`unterminated comment at ${locate(source, position)}`);
  return { text: source.slice(position, end + 2), column: columnOf(source, position) };
}

function match(pattern: RegExp, source: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(source)?.[0];
}

function parseJsonString(text: string, source: string, position: number): string {
  try {
    return JSON.parse(text) as string;
  } catch {
    throw new TypeSourceError(`invalid string literal ${text} at ${locate(source, position)}`);
  }
}

/**
 * The column TypeScript's printer measures a comment's first line from: the whitespace before it on its line
 * (a tab counts up to the next multiple of 4). Lines break where TypeScript breaks them, U+2028/9 included.
 */
function columnOf(source: string, position: number): number {
  let start = position;
  while (start > 0 && !isLineBreak(source.charCodeAt(start - 1))) start--;
  return indentWidth(source, start, position);
}
