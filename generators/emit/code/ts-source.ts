/**
 * Re-prints TypeScript produced by a library (json-schema-to-typescript) in the project's generated-code style:
 * JSDoc wrapped like ours, parsed into a syntax tree, string literals single-quoted, redundant parentheses
 * around a whole declared type removed, and printed by the same printer as every other generated file.
 */
import type * as TS from 'typescript';
import ts from './typescript.ts';
import { jsDocBody, printNode } from './print.ts';

const factory = ts.factory;

export interface ParsedDeclaration {
  /** Declared name (`interface X`, `type X`), undefined for other statements. */
  readonly name: string | undefined;
  readonly text: string;
}

/** The library writes every JSDoc block over several lines and never wraps; give them the house style. */
function restyleJsDoc(source: string): string {
  return source.replace(/\/\*\*\n((?:[ \t]*\*(?: .*)?\n)*?)[ \t]*\*\//g, (_block, inner: string) => {
    const text = inner
      .split('\n')
      .map((line) => line.replace(/^[ \t]*\*(?: |$)/, ''))
      .join('\n');
    const body = jsDocBody(text);
    return body === undefined ? '' : `/*${body}*/`;
  });
}

export function reprintDeclarations(source: string): ParsedDeclaration[] {
  const file = ts.createSourceFile(
    'library-output.ts',
    restyleJsDoc(source),
    ts.ScriptTarget.ES2024,
    true,
    ts.ScriptKind.TS,
  );
  const restyle = (context: TS.TransformationContext) => {
    const visit = (node: TS.Node): TS.Node => {
      if (ts.isStringLiteral(node) && (ts.isLiteralTypeNode(node.parent) || isPropertyNameOf(node))) {
        return ts.setTextRange(factory.createStringLiteral(node.text, true), node);
      }
      if (ts.isParenthesizedTypeNode(node) && wrapsWholeType(node)) {
        return ts.visitNode(node.type, visit) as TS.TypeNode;
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (root: TS.SourceFile) => ts.visitNode(root, visit) as TS.SourceFile;
  };
  const result = ts.transform(file, [restyle]);
  const [transformed] = result.transformed;
  const declarations = (transformed?.statements ?? []).map((statement) => ({
    name: declaredName(statement),
    text: printNode(statement, file),
  }));
  result.dispose();
  return declarations;
}

function isPropertyNameOf(node: TS.StringLiteral): boolean {
  const parent = node.parent;
  return (ts.isPropertySignature(parent) || ts.isPropertyAssignment(parent)) && parent.name === node;
}

/** Parentheses are noise when they wrap the entire type of an alias, property or index signature. */
function wrapsWholeType(node: TS.ParenthesizedTypeNode): boolean {
  const parent = node.parent;
  return (
    (ts.isTypeAliasDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isIndexSignatureDeclaration(parent)) &&
    parent.type === node
  );
}

function declaredName(statement: TS.Statement): string | undefined {
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement))
    return statement.name.text;
  return undefined;
}
