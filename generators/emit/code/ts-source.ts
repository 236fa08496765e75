/**
 * Re-prints TypeScript produced by a library (json-schema-to-typescript) in the project's generated-code style:
 * JSDoc wrapped like ours, string literals single-quoted, redundant parentheses around a whole declared type
 * removed, laid out like every other generated file.
 *
 * The library's output is a small closed grammar (type-source/syntax.ts), so it is read by a parser of its own
 * and printed by a printer of its own rather than by TypeScript's compiler, which costs ~0.45 s of CPU to load.
 * The printer writes what the compiler's printer wrote (type-source/test/typescript-oracle.ts, compared by the tests); text
 * outside the grammar throws instead of being printed.
 */
import { restyleJsDoc } from './type-source/jsdoc.ts';
import { parseDeclarations } from './type-source/parse.ts';
import { printDeclaration } from './type-source/print.ts';
import { tokenize } from './type-source/tokens.ts';

export { TypeSourceError } from './type-source/tokens.ts';

export interface ParsedDeclaration {
  /** Declared name (`interface X`, `type X`). */
  readonly name: string | undefined;
  readonly text: string;
}

export function reprintDeclarations(source: string): ParsedDeclaration[] {
  const text = restyleJsDoc(source);
  return parseDeclarations(text, tokenize(text)).map((declaration) => ({
    name: declaration.name,
    text: printDeclaration(declaration),
  }));
}
