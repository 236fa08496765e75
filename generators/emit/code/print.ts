/**
 * Printing helpers shared by the code emitters: every TypeScript file is built as a syntax tree with
 * `ts.factory` and printed here, so layout (2-space indent, blank line between declarations, single quotes,
 * JSDoc placement) is decided once and output is byte-identical across runs.
 */
import type * as TS from 'typescript';
import ts from './typescript.ts';

const factory = ts.factory;
const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
const scratchFile = ts.createSourceFile('generated.ts', '', ts.ScriptTarget.ES2024, false, ts.ScriptKind.TS);

/** The module generated code imports the runtime from (package self-reference, see package.json exports). */
export const RUNTIME_MODULE = 'eventwire/runtime';

/**
 * The printer indents with 4 spaces; halve every leading run so output matches the project style. Only
 * leading whitespace is touched, and the printer never puts a raw newline inside a string literal, so the
 * only multi-line constructs are code and JSDoc (whose ` * ` lines keep their odd extra space).
 */
function reindent(text: string): string {
  return text.replace(/^( +)/gm, (spaces) =>
    ' '.repeat(Math.floor(spaces.length / 4) * 2 + (spaces.length % 4)),
  );
}

export function printNode(node: TS.Node, sourceFile: TS.SourceFile = scratchFile): string {
  return reindent(printer.printNode(ts.EmitHint.Unspecified, node, sourceFile));
}

/**
 * Prints groups of statements: statements inside a group are adjacent (an import block), groups are separated
 * by one blank line. Empty groups are dropped. The result ends with exactly one newline.
 */
export function printGroups(groups: readonly (readonly TS.Statement[])[]): string {
  return `${groups
    .filter((group) => group.length > 0)
    .map((group) => group.map(printStatement).join('\n'))
    .join('\n\n')}\n`;
}

/** The project's line width; the printer never breaks lines, so long import lists are broken here. */
const LINE_WIDTH = 110;

function printStatement(statement: TS.Statement): string {
  const text = printNode(statement);
  if (!ts.isImportDeclaration(statement) || text.length <= LINE_WIDTH) return text;
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

/** Attaches a JSDoc block built from paragraphs (see jsDocBody) and returns the node. */
export function withDoc<T extends TS.Node>(node: T, ...paragraphs: readonly (string | undefined)[]): T {
  const body = jsDocBody(...paragraphs);
  if (body !== undefined)
    ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, body, true);
  return node;
}

/** Adds `// comment` lines (wrapped) before a node: scaffolds use them to tell the user what to write. */
export function withLineComments<T extends TS.Node>(node: T, text: string): T {
  for (const line of wrap(text)) {
    ts.addSyntheticLeadingComment(node, ts.SyntaxKind.SingleLineCommentTrivia, ` ${line}`, true);
  }
  return node;
}

export const exportModifier = (): TS.ModifierToken<TS.SyntaxKind.ExportKeyword> =>
  factory.createModifier(ts.SyntaxKind.ExportKeyword);

export const str = (value: string): TS.StringLiteral => factory.createStringLiteral(value, true);

/** `import { a, b } from 'x'` or `import type { ... }`, names sorted; undefined when there is nothing to import. */
export function importDeclaration(
  names: Iterable<string>,
  from: string,
  typeOnly: boolean,
): TS.ImportDeclaration | undefined {
  const sorted = [...new Set(names)].sort();
  if (sorted.length === 0) return undefined;
  const specifiers = sorted.map((name) =>
    factory.createImportSpecifier(false, undefined, factory.createIdentifier(name)),
  );
  const clause = factory.createImportClause(typeOnly, undefined, factory.createNamedImports(specifiers));
  return factory.createImportDeclaration(undefined, clause, str(from));
}

/** Import declarations without the undefined entries, in the order given. */
export function imports(
  ...declarations: readonly (TS.ImportDeclaration | undefined)[]
): TS.ImportDeclaration[] {
  return declarations.filter((d): d is TS.ImportDeclaration => d !== undefined);
}

/** A property name: a bare identifier when the text is one, otherwise a quoted string. */
export function propertyName(name: string): TS.PropertyName {
  return isIdentifierText(name) ? factory.createIdentifier(name) : str(name);
}

/** ASCII identifiers only: anything else is quoted, which is always valid and reads unambiguously. */
export function isIdentifierText(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

export function typeRef(name: string, ...args: TS.TypeNode[]): TS.TypeReferenceNode {
  return factory.createTypeReferenceNode(name, args.length > 0 ? args : undefined);
}

/** `A | B | C` (a single member is returned as is). */
export function unionOf(types: readonly TS.TypeNode[]): TS.TypeNode {
  const [first, ...rest] = types;
  if (first === undefined) return factory.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword);
  return rest.length === 0 ? first : factory.createUnionTypeNode([first, ...rest]);
}
