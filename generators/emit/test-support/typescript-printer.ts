/**
 * Test-only: TypeScript's printer as the emitters used it before they printed their own trees (printer.ts), the
 * oracle both compiler-free printers are compared with. Its indentation of 4 is halved to the project's 2.
 */
import ts from 'typescript';

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
const scratchFile = ts.createSourceFile('generated.ts', '', ts.ScriptTarget.ES2024, false, ts.ScriptKind.TS);

/**
 * Halves every leading run of spaces. Only leading whitespace is touched, and the printer never puts a raw
 * newline inside a string literal, so the only multi-line constructs are code and JSDoc (whose ` * ` lines keep
 * their odd extra space).
 */
function reindent(text: string): string {
  return text.replace(/^( +)/gm, (spaces) =>
    ' '.repeat(Math.floor(spaces.length / 4) * 2 + (spaces.length % 4)),
  );
}

/** A TypeScript node as TypeScript prints it, in the project's indentation. */
export function printTypeScriptNode(node: ts.Node, sourceFile: ts.SourceFile = scratchFile): string {
  return reindent(printer.printNode(ts.EmitHint.Unspecified, node, sourceFile));
}
