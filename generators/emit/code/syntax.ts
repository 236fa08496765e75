/**
 * The syntax tree the code emitters build: exactly the TypeScript constructs generated files are made of, as
 * plain data discriminated by `kind`, printed by printer.ts. Loading TypeScript's compiler only to build and
 * print these costs every cold `generate` about half a second; this tree is all the emitters need of it.
 *
 * Leading comments (JSDoc blocks, `//` lines) are a field of the node: `withDoc` and `withLineComments`
 * (print.ts) return a copy of the node with them added.
 */

/** A comment printed on its own line(s) before a node: `/*<text>*\/` (`block`) or `//<text>` (`line`). */
export interface Comment {
  readonly kind: 'block' | 'line';
  readonly text: string;
}

interface Base {
  readonly comments?: readonly Comment[];
}

export type Modifier = 'export' | 'declare' | 'readonly' | 'async';

// Expressions.
export interface Identifier extends Base {
  readonly kind: 'Identifier';
  readonly text: string;
}
/** Printed single-quoted, escaped like TypeScript's printer does (non-ASCII as `\uXXXX`). */
export interface StringLiteral extends Base {
  readonly kind: 'StringLiteral';
  readonly text: string;
}
/** `text` is printed as written (`86_400_000`, `1.5`, `1e+21`): the caller formats the number. */
export interface NumericLiteral extends Base {
  readonly kind: 'NumericLiteral';
  readonly text: string;
}
export interface KeywordLiteral extends Base {
  readonly kind: 'KeywordLiteral';
  readonly keyword: 'true' | 'false' | 'null';
}
export interface ObjectLiteral extends Base {
  readonly kind: 'ObjectLiteral';
  readonly properties: readonly ObjectMember[];
  readonly multiLine: boolean;
}
/** `name: value`, or a method (`async key(a, b) { ... }`, see MethodDeclaration). */
export type ObjectMember = PropertyAssignment | MethodDeclaration;
export interface PropertyAssignment extends Base {
  readonly kind: 'PropertyAssignment';
  readonly name: PropertyName;
  readonly initializer: Expression;
}
export interface ArrayLiteral extends Base {
  readonly kind: 'ArrayLiteral';
  readonly elements: readonly Expression[];
  readonly multiLine: boolean;
}
export interface Call extends Base {
  readonly kind: 'Call';
  readonly callee: Expression;
  readonly typeArguments?: readonly TypeNode[];
  readonly args: readonly Expression[];
}
export interface New extends Base {
  readonly kind: 'New';
  readonly callee: Expression;
  /** Undefined prints `new X` without parentheses. */
  readonly args?: readonly Expression[];
}
export interface PropertyAccess extends Base {
  readonly kind: 'PropertyAccess';
  readonly expression: Expression;
  readonly name: string;
}
/** `-x`: how negative numbers are written (a numeric literal has no sign). */
export interface Negative extends Base {
  readonly kind: 'Negative';
  readonly operand: Expression;
}
export interface As extends Base {
  readonly kind: 'As';
  readonly expression: Expression;
  readonly type: TypeNode;
}
export interface Satisfies extends Base {
  readonly kind: 'Satisfies';
  readonly expression: Expression;
  readonly type: TypeNode;
}
export type Expression =
  | Identifier
  | StringLiteral
  | NumericLiteral
  | KeywordLiteral
  | ObjectLiteral
  | ArrayLiteral
  | Call
  | New
  | PropertyAccess
  | Negative
  | As
  | Satisfies;

export type PropertyName = Identifier | StringLiteral;

// Types.
export interface KeywordType extends Base {
  readonly kind: 'KeywordType';
  readonly keyword: 'string' | 'number' | 'boolean' | 'void' | 'never' | 'unknown';
}
export interface TypeReference extends Base {
  readonly kind: 'TypeReference';
  readonly name: string;
  readonly typeArguments?: readonly TypeNode[];
}
/** `{ a: A; b?: B }`, printed one member a line like TypeScript's printer does. */
export interface TypeLiteral extends Base {
  readonly kind: 'TypeLiteral';
  readonly members: readonly TypeMember[];
}
export interface Union extends Base {
  readonly kind: 'Union';
  readonly types: readonly TypeNode[];
}
export interface Intersection extends Base {
  readonly kind: 'Intersection';
  readonly types: readonly TypeNode[];
}
export interface LiteralType extends Base {
  readonly kind: 'LiteralType';
  readonly literal: StringLiteral | NumericLiteral | KeywordLiteral;
}
export interface ArrayType extends Base {
  readonly kind: 'ArrayType';
  readonly elementType: TypeNode;
}
export type TypeNode =
  | KeywordType
  | TypeReference
  | TypeLiteral
  | Union
  | Intersection
  | LiteralType
  | ArrayType;

// Members.
export interface PropertySignature extends Base {
  readonly kind: 'PropertySignature';
  readonly modifiers: readonly Modifier[];
  readonly name: PropertyName;
  readonly optional: boolean;
  readonly type: TypeNode;
}
export interface MethodSignature extends Base {
  readonly kind: 'MethodSignature';
  readonly name: string;
  readonly parameters: readonly Parameter[];
  readonly returnType: TypeNode;
}
export type TypeMember = PropertySignature | MethodSignature;

export interface Parameter extends Base {
  readonly kind: 'Parameter';
  readonly name: string;
  readonly optional: boolean;
  readonly type?: TypeNode;
}

export interface MethodDeclaration extends Base {
  readonly kind: 'MethodDeclaration';
  readonly modifiers: readonly Modifier[];
  readonly name: string;
  readonly parameters: readonly Parameter[];
  readonly body: Block;
}

// Statements.
export interface Block extends Base {
  readonly kind: 'Block';
  readonly statements: readonly Statement[];
  readonly multiLine: boolean;
}
export interface VariableDeclaration {
  readonly name: string;
  readonly type?: TypeNode;
  readonly initializer?: Expression;
}
/** `const a = ...;`: generated code declares nothing else. */
export interface ConstStatement extends Base {
  readonly kind: 'ConstStatement';
  readonly modifiers: readonly Modifier[];
  readonly declarations: readonly VariableDeclaration[];
}
export interface FunctionDeclaration extends Base {
  readonly kind: 'FunctionDeclaration';
  readonly modifiers: readonly Modifier[];
  readonly name: string;
  readonly parameters: readonly Parameter[];
  readonly returnType?: TypeNode;
  readonly body: Block;
}
export interface Return extends Base {
  readonly kind: 'Return';
  readonly expression?: Expression;
}
export interface Throw extends Base {
  readonly kind: 'Throw';
  readonly expression: Expression;
}
export interface ExpressionStatement extends Base {
  readonly kind: 'ExpressionStatement';
  readonly expression: Expression;
}
/** `import { a, b } from 'x';` or `import type { ... }`. */
export interface ImportDeclaration extends Base {
  readonly kind: 'ImportDeclaration';
  readonly typeOnly: boolean;
  readonly names: readonly string[];
  readonly from: string;
}
/** `export * from 'x';` or `export type * from 'x';`. */
export interface ExportAll extends Base {
  readonly kind: 'ExportAll';
  readonly typeOnly: boolean;
  readonly from: string;
}
export interface InterfaceDeclaration extends Base {
  readonly kind: 'InterfaceDeclaration';
  readonly modifiers: readonly Modifier[];
  readonly name: string;
  readonly members: readonly TypeMember[];
}
export interface TypeAlias extends Base {
  readonly kind: 'TypeAlias';
  readonly modifiers: readonly Modifier[];
  readonly name: string;
  readonly type: TypeNode;
}
export type Statement =
  | Block
  | ConstStatement
  | FunctionDeclaration
  | Return
  | Throw
  | ExpressionStatement
  | ImportDeclaration
  | ExportAll
  | InterfaceDeclaration
  | TypeAlias;

export type Node =
  | Expression
  | PropertyAssignment
  | TypeNode
  | TypeMember
  | Parameter
  | MethodDeclaration
  | Statement;
export type Kind = Node['kind'];

// Constructors: the shapes emitters write most, with the optional parts last.
export const id = (text: string): Identifier => ({ kind: 'Identifier', text });
export const stringLiteral = (text: string): StringLiteral => ({ kind: 'StringLiteral', text });
export const numericLiteral = (text: string): NumericLiteral => ({ kind: 'NumericLiteral', text });
export const trueLiteral = (): KeywordLiteral => ({ kind: 'KeywordLiteral', keyword: 'true' });
export const falseLiteral = (): KeywordLiteral => ({ kind: 'KeywordLiteral', keyword: 'false' });
export const nullLiteral = (): KeywordLiteral => ({ kind: 'KeywordLiteral', keyword: 'null' });
export const objectLiteral = (properties: readonly ObjectMember[], multiLine: boolean): ObjectLiteral => ({
  kind: 'ObjectLiteral',
  properties,
  multiLine,
});
export const propertyAssignment = (name: PropertyName, initializer: Expression): PropertyAssignment => ({
  kind: 'PropertyAssignment',
  name,
  initializer,
});
export const arrayLiteral = (elements: readonly Expression[], multiLine: boolean): ArrayLiteral => ({
  kind: 'ArrayLiteral',
  elements,
  multiLine,
});
export const call = (
  callee: Expression,
  args: readonly Expression[],
  typeArguments?: readonly TypeNode[],
): Call => ({ kind: 'Call', callee, args, ...(typeArguments ? { typeArguments } : {}) });
export const newExpression = (callee: Expression, args?: readonly Expression[]): New => ({
  kind: 'New',
  callee,
  ...(args ? { args } : {}),
});
export const propertyAccess = (expression: Expression, name: string): PropertyAccess => ({
  kind: 'PropertyAccess',
  expression,
  name,
});
export const negative = (operand: Expression): Negative => ({ kind: 'Negative', operand });
export const asExpression = (expression: Expression, type: TypeNode): As => ({
  kind: 'As',
  expression,
  type,
});
export const satisfiesExpression = (expression: Expression, type: TypeNode): Satisfies => ({
  kind: 'Satisfies',
  expression,
  type,
});

export const keywordType = (keyword: KeywordType['keyword']): KeywordType => ({
  kind: 'KeywordType',
  keyword,
});
export const typeReference = (name: string, typeArguments?: readonly TypeNode[]): TypeReference => ({
  kind: 'TypeReference',
  name,
  ...(typeArguments ? { typeArguments } : {}),
});
export const typeLiteral = (members: readonly TypeMember[]): TypeLiteral => ({
  kind: 'TypeLiteral',
  members,
});
export const union = (types: readonly TypeNode[]): Union => ({ kind: 'Union', types });
export const intersection = (types: readonly TypeNode[]): Intersection => ({ kind: 'Intersection', types });
export const literalType = (literal: LiteralType['literal']): LiteralType => ({
  kind: 'LiteralType',
  literal,
});
export const arrayType = (elementType: TypeNode): ArrayType => ({ kind: 'ArrayType', elementType });

export const propertySignature = (
  modifiers: readonly Modifier[],
  name: PropertyName,
  type: TypeNode,
  optional = false,
): PropertySignature => ({ kind: 'PropertySignature', modifiers, name, optional, type });
export const methodSignature = (
  name: string,
  parameters: readonly Parameter[],
  returnType: TypeNode,
): MethodSignature => ({ kind: 'MethodSignature', name, parameters, returnType });
export const parameter = (name: string, type?: TypeNode, optional = false): Parameter => ({
  kind: 'Parameter',
  name,
  optional,
  ...(type ? { type } : {}),
});
export const methodDeclaration = (
  modifiers: readonly Modifier[],
  name: string,
  parameters: readonly Parameter[],
  body: Block,
): MethodDeclaration => ({ kind: 'MethodDeclaration', modifiers, name, parameters, body });

export const block = (statements: readonly Statement[], multiLine = true): Block => ({
  kind: 'Block',
  statements,
  multiLine,
});
export const constStatement = (
  modifiers: readonly Modifier[],
  declarations: readonly VariableDeclaration[],
): ConstStatement => ({ kind: 'ConstStatement', modifiers, declarations });
export const functionDeclaration = (
  modifiers: readonly Modifier[],
  name: string,
  parameters: readonly Parameter[],
  returnType: TypeNode | undefined,
  body: Block,
): FunctionDeclaration => ({
  kind: 'FunctionDeclaration',
  modifiers,
  name,
  parameters,
  ...(returnType ? { returnType } : {}),
  body,
});
export const returnStatement = (expression?: Expression): Return => ({
  kind: 'Return',
  ...(expression ? { expression } : {}),
});
export const throwStatement = (expression: Expression): Throw => ({ kind: 'Throw', expression });
export const expressionStatement = (expression: Expression): ExpressionStatement => ({
  kind: 'ExpressionStatement',
  expression,
});
export const importNames = (
  names: readonly string[],
  from: string,
  typeOnly: boolean,
): ImportDeclaration => ({
  kind: 'ImportDeclaration',
  typeOnly,
  names,
  from,
});
export const exportAll = (from: string, typeOnly = false): ExportAll => ({
  kind: 'ExportAll',
  typeOnly,
  from,
});
export const interfaceDeclaration = (
  modifiers: readonly Modifier[],
  name: string,
  members: readonly TypeMember[],
): InterfaceDeclaration => ({ kind: 'InterfaceDeclaration', modifiers, name, members });
export const typeAlias = (modifiers: readonly Modifier[], name: string, type: TypeNode): TypeAlias => ({
  kind: 'TypeAlias',
  modifiers,
  name,
  type,
});
