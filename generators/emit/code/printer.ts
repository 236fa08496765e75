/**
 * Prints the syntax tree of syntax.ts as generated files have always been written: what TypeScript's printer
 * writes for the same constructs built with `ts.factory`, with its 4-space indent halved
 * (the house style's 2; test-support/typescript-printer.ts halves TypeScript's own output the same way).
 * Generated files must not change by one byte with the printer; the oracle test (printer.oracle.test.ts) holds
 * the two side by side.
 *
 * It writes with ts-layout.ts's line writer, which indents by 2 directly: halving afterwards was the costliest
 * step of printing.
 */
import { singleQuoted } from './string-literal.ts';
import type * as S from './syntax.ts';
import { halved, LINE_BREAK, LayoutWriter as Writer, writeCommentLines } from './ts-layout.ts';

function writeComments(w: Writer, comments: readonly S.Comment[]): void {
  for (const comment of comments) {
    if (comment.kind === 'line') {
      w.line();
      // Spaces after a line break inside the text were halved with the rest of the output.
      const text = LINE_BREAK.test(comment.text)
        ? comment.text.replace(/(?<=[\n\r\u2028\u2029]) +/g, (spaces) => ' '.repeat(halved(spaces.length)))
        : comment.text;
      w.write(`//${text}`);
    } else {
      writeCommentLines(w, `/*${comment.text}*/`, 0);
    }
    w.line();
  }
}

type Emit = (w: Writer, node: S.Node) => void;

function emit(w: Writer, node: S.Node): void {
  if (node.comments) writeComments(w, node.comments);
  emitWithoutComments(w, node);
}

function emitWithoutComments(w: Writer, node: S.Node): void {
  (EMITTERS[node.kind] as Emit)(w, node);
}

/**
 * `a, b` on one line, or one item a line (with the separator after each but the last). Literals' items are
 * indented even on one line: it shows only when an item's comment breaks the line, as TypeScript's does.
 */
function list(w: Writer, items: readonly S.Node[], multiLine: boolean, indented = multiLine): void {
  if (indented) w.indent++;
  items.forEach((item, i) => {
    if (multiLine) w.line();
    else if (i > 0) w.write(' ');
    emit(w, item);
    if (i < items.length - 1) w.write(',');
  });
  if (indented) w.indent--;
  if (multiLine) w.line();
}

/**
 * A function or method body. Unlike a block statement, one not flagged multi-line stays on one line even with
 * statements (`{ return a; }`), and comments of the body itself are not printed: TypeScript's printer does both.
 */
function functionBody(w: Writer, body: S.Block): void {
  if (body.multiLine) {
    emitWithoutComments(w, body);
    return;
  }
  w.write('{ ');
  for (const statement of body.statements) {
    emit(w, statement);
    w.write(' ');
  }
  w.write('}');
}

/** Interface and type-literal members: one a line, each ended by `;`. */
function members(w: Writer, items: readonly S.TypeMember[]): void {
  w.indent++;
  for (const item of items) {
    w.line();
    emit(w, item);
    w.write(';');
  }
  w.indent--;
  w.line();
}

function modifiers(w: Writer, list: readonly S.Modifier[]): void {
  for (const modifier of list) w.write(`${modifier} `);
}

function parameters(w: Writer, list: readonly S.Parameter[]): void {
  w.write('(');
  list.forEach((p, i) => {
    if (i > 0) w.write(', ');
    emit(w, p);
  });
  w.write(')');
}

function typeArguments(w: Writer, list: readonly S.TypeNode[] | undefined): void {
  if (!list || list.length === 0) return;
  w.write('<');
  list.forEach((t, i) => {
    if (i > 0) w.write(', ');
    emit(w, t);
  });
  w.write('>');
}

function typeAnnotation(w: Writer, type: S.TypeNode | undefined): void {
  if (!type) return;
  w.write(': ');
  emit(w, type);
}

/** `(A | B)`: a union or intersection inside another one or before `[]` is parenthesized, as the factory does. */
function constituent(w: Writer, type: S.TypeNode): void {
  const wrap = type.kind === 'Union' || type.kind === 'Intersection';
  if (wrap) w.write('(');
  emit(w, type);
  if (wrap) w.write(')');
}

function typeList(w: Writer, types: readonly S.TypeNode[], operator: string): void {
  types.forEach((t, i) => {
    if (i > 0) w.write(operator);
    constituent(w, t);
  });
}

const EMITTERS: { readonly [K in S.Kind]: (w: Writer, node: Extract<S.Node, { kind: K }>) => void } = {
  Identifier: (w, n) => w.write(n.text),
  StringLiteral: (w, n) => w.write(singleQuoted(n.text)),
  NumericLiteral: (w, n) => w.write(n.text),
  KeywordLiteral: (w, n) => w.write(n.keyword),
  ObjectLiteral: (w, n) => {
    w.write('{');
    if (n.properties.length > 0) {
      if (!n.multiLine) w.write(' ');
      list(w, n.properties, n.multiLine, true);
      if (!n.multiLine) w.write(' ');
    }
    w.write('}');
  },
  PropertyAssignment: (w, n) => {
    emit(w, n.name);
    w.write(': ');
    emit(w, n.initializer);
  },
  ArrayLiteral: (w, n) => {
    w.write('[');
    if (n.elements.length > 0) list(w, n.elements, n.multiLine, true);
    w.write(']');
  },
  Call: (w, n) => {
    emit(w, n.callee);
    typeArguments(w, n.typeArguments);
    w.write('(');
    list(w, n.args, false);
    w.write(')');
  },
  New: (w, n) => {
    w.write('new ');
    emit(w, n.callee);
    if (n.args) {
      w.write('(');
      list(w, n.args, false);
      w.write(')');
    }
  },
  PropertyAccess: (w, n) => {
    emit(w, n.expression);
    w.write(`.${n.name}`);
  },
  Negative: (w, n) => {
    w.write('-');
    // `- -1`, not `--1` (a decrement).
    if (n.operand.kind === 'Negative') w.write(' ');
    emit(w, n.operand);
  },
  As: (w, n) => {
    emit(w, n.expression);
    w.write(' as ');
    emit(w, n.type);
  },
  Satisfies: (w, n) => {
    emit(w, n.expression);
    w.write(' satisfies ');
    emit(w, n.type);
  },
  KeywordType: (w, n) => w.write(n.keyword),
  TypeReference: (w, n) => {
    w.write(n.name);
    typeArguments(w, n.typeArguments);
  },
  TypeLiteral: (w, n) => {
    w.write('{');
    if (n.members.length > 0) members(w, n.members);
    w.write('}');
  },
  Union: (w, n) => typeList(w, n.types, ' | '),
  Intersection: (w, n) => typeList(w, n.types, ' & '),
  LiteralType: (w, n) => emit(w, n.literal),
  ArrayType: (w, n) => {
    constituent(w, n.elementType);
    w.write('[]');
  },
  PropertySignature: (w, n) => {
    modifiers(w, n.modifiers);
    emit(w, n.name);
    if (n.optional) w.write('?');
    typeAnnotation(w, n.type);
  },
  MethodSignature: (w, n) => {
    w.write(n.name);
    parameters(w, n.parameters);
    typeAnnotation(w, n.returnType);
  },
  Parameter: (w, n) => {
    w.write(n.name);
    if (n.optional) w.write('?');
    typeAnnotation(w, n.type);
  },
  MethodDeclaration: (w, n) => {
    modifiers(w, n.modifiers);
    w.write(n.name);
    parameters(w, n.parameters);
    w.write(' ');
    functionBody(w, n.body);
  },
  Block: (w, n) => {
    w.write('{');
    if (n.statements.length === 0 && !n.multiLine) {
      w.write(' ');
    } else {
      // A block with statements is multi-line whatever its flag says (TypeScript's printer does the same).
      w.indent++;
      for (const statement of n.statements) {
        w.line();
        emit(w, statement);
      }
      w.indent--;
      w.line();
    }
    w.write('}');
  },
  ConstStatement: (w, n) => {
    modifiers(w, n.modifiers);
    w.write('const ');
    n.declarations.forEach((d, i) => {
      if (i > 0) w.write(', ');
      w.write(d.name);
      typeAnnotation(w, d.type);
      if (d.initializer) {
        w.write(' = ');
        emit(w, d.initializer);
      }
    });
    w.write(';');
  },
  FunctionDeclaration: (w, n) => {
    modifiers(w, n.modifiers);
    w.write(`function ${n.name}`);
    parameters(w, n.parameters);
    typeAnnotation(w, n.returnType);
    w.write(' ');
    functionBody(w, n.body);
  },
  Return: (w, n) => {
    w.write('return');
    if (n.expression) {
      w.write(' ');
      emit(w, n.expression);
    }
    w.write(';');
  },
  Throw: (w, n) => {
    w.write('throw ');
    emit(w, n.expression);
    w.write(';');
  },
  ExpressionStatement: (w, n) => {
    emit(w, n.expression);
    w.write(';');
  },
  ImportDeclaration: (w, n) => {
    w.write(`import ${n.typeOnly ? 'type ' : ''}{ ${n.names.join(', ')} } from ${singleQuoted(n.from)};`);
  },
  ExportAll: (w, n) => w.write(`export ${n.typeOnly ? 'type ' : ''}* from ${singleQuoted(n.from)};`),
  InterfaceDeclaration: (w, n) => {
    modifiers(w, n.modifiers);
    w.write(`interface ${n.name} {`);
    members(w, n.members);
    w.write('}');
  },
  TypeAlias: (w, n) => {
    modifiers(w, n.modifiers);
    w.write(`type ${n.name} = `);
    emit(w, n.type);
    w.write(';');
  },
};

/** The node's text (2-space indent, no trailing newline). */
export function printSyntax(node: S.Node): string {
  const w = new Writer();
  emit(w, node);
  return w.text;
}
