/**
 * Test-only: a syntax.ts tree rebuilt with `ts.factory`, the way the emitters built it before they had a tree of
 * their own, so the oracle test can print both and demand the same text (typescript-printer.ts).
 */
import ts from 'typescript';
import type * as S from '../code/syntax.ts';
import { printTypeScriptNode } from './typescript-printer.ts';

const f = ts.factory;

const MODIFIERS = {
  export: ts.SyntaxKind.ExportKeyword,
  declare: ts.SyntaxKind.DeclareKeyword,
  readonly: ts.SyntaxKind.ReadonlyKeyword,
  async: ts.SyntaxKind.AsyncKeyword,
} as const;

const KEYWORD_TYPES = {
  string: ts.SyntaxKind.StringKeyword,
  number: ts.SyntaxKind.NumberKeyword,
  boolean: ts.SyntaxKind.BooleanKeyword,
  void: ts.SyntaxKind.VoidKeyword,
  never: ts.SyntaxKind.NeverKeyword,
  unknown: ts.SyntaxKind.UnknownKeyword,
} as const;

const modifiers = (list: readonly S.Modifier[]) =>
  list.length === 0 ? undefined : list.map((m) => f.createModifier(MODIFIERS[m]));
const question = (optional: boolean) => (optional ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined);

const expression = (node: S.Expression) => toTypeScript(node) as ts.Expression;
const type = (node: S.TypeNode) => toTypeScript(node) as ts.TypeNode;
const statement = (node: S.Statement) => toTypeScript(node) as ts.Statement;
const parameter = (node: S.Parameter) => toTypeScript(node) as ts.ParameterDeclaration;
const member = (node: S.TypeMember) => toTypeScript(node) as ts.TypeElement;
const block = (node: S.Block) => toTypeScript(node) as ts.Block;
const name = (node: S.PropertyName) => toTypeScript(node) as ts.PropertyName;

const BUILDERS: { readonly [K in S.Kind]: (node: Extract<S.Node, { kind: K }>) => ts.Node } = {
  Identifier: (n) => f.createIdentifier(n.text),
  StringLiteral: (n) => f.createStringLiteral(n.text, true),
  NumericLiteral: (n) => f.createNumericLiteral(n.text),
  KeywordLiteral: (n) =>
    n.keyword === 'true' ? f.createTrue() : n.keyword === 'false' ? f.createFalse() : f.createNull(),
  ObjectLiteral: (n) =>
    f.createObjectLiteralExpression(
      n.properties.map((p) => toTypeScript(p) as ts.ObjectLiteralElementLike),
      n.multiLine,
    ),
  PropertyAssignment: (n) => f.createPropertyAssignment(name(n.name), expression(n.initializer)),
  ArrayLiteral: (n) => f.createArrayLiteralExpression(n.elements.map(expression), n.multiLine),
  Call: (n) =>
    f.createCallExpression(expression(n.callee), n.typeArguments?.map(type), n.args.map(expression)),
  New: (n) => f.createNewExpression(expression(n.callee), undefined, n.args?.map(expression)),
  PropertyAccess: (n) => f.createPropertyAccessExpression(expression(n.expression), n.name),
  Negative: (n) => f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, expression(n.operand)),
  As: (n) => f.createAsExpression(expression(n.expression), type(n.type)),
  Satisfies: (n) => f.createSatisfiesExpression(expression(n.expression), type(n.type)),
  KeywordType: (n) => f.createKeywordTypeNode(KEYWORD_TYPES[n.keyword]),
  TypeReference: (n) => f.createTypeReferenceNode(n.name, n.typeArguments?.map(type)),
  TypeLiteral: (n) => f.createTypeLiteralNode(n.members.map(member)),
  Union: (n) => f.createUnionTypeNode(n.types.map(type)),
  Intersection: (n) => f.createIntersectionTypeNode(n.types.map(type)),
  LiteralType: (n) => f.createLiteralTypeNode(toTypeScript(n.literal) as ts.LiteralTypeNode['literal']),
  ArrayType: (n) => f.createArrayTypeNode(type(n.elementType)),
  PropertySignature: (n) =>
    f.createPropertySignature(modifiers(n.modifiers), name(n.name), question(n.optional), type(n.type)),
  MethodSignature: (n) =>
    f.createMethodSignature(
      undefined,
      n.name,
      undefined,
      undefined,
      n.parameters.map(parameter),
      type(n.returnType),
    ),
  Parameter: (n) =>
    f.createParameterDeclaration(undefined, undefined, n.name, question(n.optional), n.type && type(n.type)),
  MethodDeclaration: (n) =>
    f.createMethodDeclaration(
      modifiers(n.modifiers),
      undefined,
      n.name,
      undefined,
      undefined,
      n.parameters.map(parameter),
      undefined,
      block(n.body),
    ),
  Block: (n) => f.createBlock(n.statements.map(statement), n.multiLine),
  ConstStatement: (n) =>
    f.createVariableStatement(
      modifiers(n.modifiers),
      f.createVariableDeclarationList(
        n.declarations.map((d) =>
          f.createVariableDeclaration(
            d.name,
            undefined,
            d.type && type(d.type),
            d.initializer && expression(d.initializer),
          ),
        ),
        ts.NodeFlags.Const,
      ),
    ),
  FunctionDeclaration: (n) =>
    f.createFunctionDeclaration(
      modifiers(n.modifiers),
      undefined,
      n.name,
      undefined,
      n.parameters.map(parameter),
      n.returnType && type(n.returnType),
      block(n.body),
    ),
  Return: (n) => f.createReturnStatement(n.expression && expression(n.expression)),
  Throw: (n) => f.createThrowStatement(expression(n.expression)),
  ExpressionStatement: (n) => f.createExpressionStatement(expression(n.expression)),
  ImportDeclaration: (n) =>
    f.createImportDeclaration(
      undefined,
      f.createImportClause(
        n.typeOnly,
        undefined,
        f.createNamedImports(
          n.names.map((text) => f.createImportSpecifier(false, undefined, f.createIdentifier(text))),
        ),
      ),
      f.createStringLiteral(n.from, true),
    ),
  ExportAll: (n) =>
    f.createExportDeclaration(undefined, n.typeOnly, undefined, f.createStringLiteral(n.from, true)),
  InterfaceDeclaration: (n) =>
    f.createInterfaceDeclaration(modifiers(n.modifiers), n.name, undefined, undefined, n.members.map(member)),
  TypeAlias: (n) => f.createTypeAliasDeclaration(modifiers(n.modifiers), n.name, undefined, type(n.type)),
};

export function toTypeScript(node: S.Node): ts.Node {
  const built = (BUILDERS[node.kind] as (n: S.Node) => ts.Node)(node);
  for (const comment of node.comments ?? []) {
    const kind =
      comment.kind === 'block' ? ts.SyntaxKind.MultiLineCommentTrivia : ts.SyntaxKind.SingleLineCommentTrivia;
    ts.addSyntheticLeadingComment(built, kind, comment.text, true);
  }
  return built;
}

/** The tree as the emitters printed it before: through TypeScript's printer, indent halved. */
export function printWithTypeScript(node: S.Node): string {
  return printTypeScriptNode(toTypeScript(node));
}
