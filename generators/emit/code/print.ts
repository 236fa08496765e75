/**
 * Printing helpers shared by the code emitters: every TypeScript file is built as a syntax tree (syntax.ts) and
 * printed here, so layout (2-space indent, blank line between declarations, single quotes, JSDoc placement) is
 * decided once and output is byte-identical across runs.
 */
import { printSyntax } from './printer.ts';
import * as S from './syntax.ts';

/** The module generated code imports the runtime from (package self-reference, see package.json exports). */
export const RUNTIME_MODULE = 'eventwire/runtime';

/** A node's text, as every generated file prints it. */
export function printNode(node: S.Node): string {
  return printSyntax(node);
}

/**
 * Prints groups of statements: statements inside a group are adjacent (an import block), groups are separated
 * by one blank line. Empty groups are dropped. The result ends with exactly one newline.
 */
export function printGroups(groups: readonly (readonly S.Statement[])[]): string {
  return `${groups
    .filter((group) => group.length > 0)
    .map((group) => group.map(printStatement).join('\n'))
    .join('\n\n')}\n`;
}

/** The project's line width; the printer never breaks lines, so long import lists are broken here. */
const LINE_WIDTH = 110;

function printStatement(statement: S.Statement): string {
  const text = printNode(statement);
  if (statement.kind !== 'ImportDeclaration' || text.length <= LINE_WIDTH) return text;
  // `import type { A, B } from 'x';` -> one name per line, like a formatter would.
  const match = /^(import (?:type )?)\{ (.*) \}( from .*)$/.exec(text);
  if (!match) return text;
  const [, head, names, tail] = match;
  return `${head}{\n${names!
    .split(', ')
    .map((name) => `  ${name},`)
    .join('\n')}\n}${tail}`;
}

/** Comment text width: generated code is read in editors and reviews, so long lines are wrapped at words. */
const COMMENT_WIDTH = 100;

/** Splits a line longer than the comment width at spaces; shorter lines (and markdown layout) stay as written. */
export function wrap(line: string, width = COMMENT_WIDTH): string[] {
  if (line.length <= width) return [line];
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  return [...lines, current];
}

/**
 * The inside of a JSDoc comment (between `/*` and `*\/`) for paragraphs of text: empty or missing paragraphs are
 * skipped, long lines wrapped, `*\/` escaped; one short line stays on one line. Undefined when there is no text.
 */
export function jsDocBody(...paragraphs: readonly (string | undefined)[]): string | undefined {
  const lines = paragraphs
    .filter((p): p is string => p !== undefined && p.trim() !== '')
    .flatMap((p, i) => [
      ...(i > 0 ? [''] : []),
      ...p
        .trim()
        .split(/\r?\n/)
        .flatMap((line) => wrap(line.trimEnd())),
    ])
    .map((line) => line.replace(/\*\//g, '*\\/'));
  if (lines.length === 0) return undefined;
  return lines.length === 1
    ? `* ${lines[0]} `
    : `*\n${lines.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n `;
}

/** Adds a JSDoc block built from paragraphs (see jsDocBody): a copy of the node with the comment. */
export function withDoc<T extends S.Node>(node: T, ...paragraphs: readonly (string | undefined)[]): T {
  const body = jsDocBody(...paragraphs);
  return body === undefined ? node : withComments(node, [{ kind: 'block', text: body }]);
}

/** Adds `// comment` lines (wrapped) before a node: scaffolds use them to tell the user what to write. */
export function withLineComments<T extends S.Node>(node: T, text: string): T {
  return withComments(
    node,
    wrap(text).map((line) => ({ kind: 'line', text: ` ${line}` })),
  );
}

function withComments<T extends S.Node>(node: T, comments: readonly S.Comment[]): T {
  return { ...node, comments: [...(node.comments ?? []), ...comments] } as T;
}

export const exportModifier = (): S.Modifier => 'export';

export const str = (value: string): S.StringLiteral => S.stringLiteral(value);

/** `import { a, b } from 'x'` or `import type { ... }`, names sorted; undefined when there is nothing to import. */
export function importDeclaration(
  names: Iterable<string>,
  from: string,
  typeOnly: boolean,
): S.ImportDeclaration | undefined {
  const sorted = [...new Set(names)].sort();
  return sorted.length === 0 ? undefined : S.importNames(sorted, from, typeOnly);
}

/** Import declarations without the undefined entries, in the order given. */
export function imports(
  ...declarations: readonly (S.ImportDeclaration | undefined)[]
): S.ImportDeclaration[] {
  return declarations.filter((d): d is S.ImportDeclaration => d !== undefined);
}

/** A property name: a bare identifier when the text is one, otherwise a quoted string. */
export function propertyName(name: string): S.PropertyName {
  return isIdentifierText(name) ? S.id(name) : str(name);
}

/** ASCII identifiers only: anything else is quoted, which is always valid and reads unambiguously. */
export function isIdentifierText(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

export function typeRef(name: string, ...args: S.TypeNode[]): S.TypeReference {
  return S.typeReference(name, args.length > 0 ? args : undefined);
}

/** `A | B | C` (a single member is returned as is). */
export function unionOf(types: readonly S.TypeNode[]): S.TypeNode {
  const [first, ...rest] = types;
  if (first === undefined) return S.keywordType('never');
  return rest.length === 0 ? first : S.union([first, ...rest]);
}
