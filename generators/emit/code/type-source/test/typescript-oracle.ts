/**
 * Test-only oracle: the former TypeScript-compiler implementation of `reprintDeclarations` (ts-source.ts). The
 * library's output is parsed by TypeScript's parser, restyled by a transformer and printed by TypeScript's
 * printer; the tests check that the compiler-free re-printer writes exactly the same text.
 */
import ts from 'typescript';
import { printTypeScriptNode } from '../../../test-support/typescript-printer.ts';
import type { ParsedDeclaration } from '../../ts-source.ts';
import { restyleJsDoc } from '../jsdoc.ts';

const factory = ts.factory;

export function reprintDeclarationsWithTypeScript(source: string): ParsedDeclaration[] {
  const file = ts.createSourceFile(
    'library-output.ts',
    restyleJsDoc(source),
    ts.ScriptTarget.ES2024,
    true,
    ts.ScriptKind.TS,
  );
  const restyle = (context: ts.TransformationContext) => {
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isStringLiteral(node) && (ts.isLiteralTypeNode(node.parent) || isPropertyNameOf(node))) {
        return ts.setTextRange(factory.createStringLiteral(node.text, true), node);
      }
      if (ts.isParenthesizedTypeNode(node) && wrapsWholeType(node)) {
        return ts.visitNode(node.type, visit) as ts.TypeNode;
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (root: ts.SourceFile) => ts.visitNode(root, visit) as ts.SourceFile;
  };
  const result = ts.transform(file, [restyle]);
  const [transformed] = result.transformed;
  const declarations = (transformed?.statements ?? []).map((statement) => ({
    name: declaredName(statement),
    text: printTypeScriptNode(statement, file),
  }));
  result.dispose();
  return declarations;
}

function isPropertyNameOf(node: ts.StringLiteral): boolean {
  const parent = node.parent;
  return (ts.isPropertySignature(parent) || ts.isPropertyAssignment(parent)) && parent.name === node;
}

/** Parentheses are noise when they wrap the entire type of an alias, property or index signature. */
function wrapsWholeType(node: ts.ParenthesizedTypeNode): boolean {
  const parent = node.parent;
  return (
    (ts.isTypeAliasDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isIndexSignatureDeclaration(parent)) &&
    parent.type === node
  );
}

function declaredName(statement: ts.Statement): string | undefined {
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement))
    return statement.name.text;
  return undefined;
}
