/**
 * Prints parsed declarations exactly as TypeScript's printer (plus print.ts's re-indentation) printed them when
 * they were re-printed through the compiler: type literals, interfaces and tuples one member per line, `;`
 * after members and aliases, string literals single-quoted, parentheses around a whole declared type dropped,
 * and comments re-indented line by line the way the printer does (writeCommentRange). The printer adds no
 * parentheses of its own to parsed nodes, so types keep the structure they were read with (`A & B | C`).
 */
import type { Comment, Declaration, Member, PropertyName, TupleElement, TypeNode } from './syntax.ts';
import { singleQuoted } from '../string-literal.ts';
import { LayoutWriter as Writer, writeCommentLines } from '../ts-layout.ts';

type Emit<T> = (writer: Writer, node: T) => void;

export function printDeclaration(declaration: Declaration): string {
  const writer = new Writer();
  emitComments(writer, declaration.comments);
  if (declaration.exported) writer.write('export ');
  if (declaration.kind === 'interface') {
    writer.write(`interface ${declaration.name}`);
    if (declaration.extends.length > 0) writer.write(` extends ${declaration.extends.join(', ')}`);
    writer.write(' ');
    emitMembers(writer, declaration.members, 'interface');
    for (const comment of declaration.trailingComments) {
      writer.write(' ');
      emitComment(writer, comment);
    }
  } else {
    writer.write(`type ${declaration.name} = `);
    emitDeclaredType(writer, declaration.type);
    writer.write(';');
  }
  return writer.text;
}

/**
 * `{`, one member per line (indented), `}`. Without members the printer still breaks the line of an
 * interface (`{\n}`) but not of a type literal (`{}`: its list format is "optional if empty").
 */
function emitMembers(writer: Writer, members: readonly Member[], of: 'interface' | 'typeLiteral'): void {
  writer.write('{');
  if (members.length > 0 || of === 'interface') emitLines(writer, members, ';', emitMember, '');
  writer.write('}');
}

/**
 * A multi-line list: each item on its own line one level deeper, `separator` after all but the last and
 * `terminator` after every item (`;` for members, `,` between tuple elements).
 */
function emitLines<T>(
  writer: Writer,
  items: readonly T[],
  terminator: string,
  emit: Emit<T>,
  separator: string,
): void {
  writer.line();
  if (items.length === 0) return;
  writer.indent++;
  items.forEach((item, index) => {
    if (index > 0) {
      writer.write(separator);
      writer.line();
    }
    emit(writer, item);
    writer.write(terminator);
  });
  writer.indent--;
  writer.line();
}

function emitMember(writer: Writer, member: Member): void {
  emitComments(writer, member.comments);
  if (member.kind === 'index') {
    writer.write(`[${member.parameter}: `);
    emitType(writer, member.keyType);
    writer.write(']: ');
  } else {
    emitPropertyName(writer, member.name);
    writer.write(member.optional ? '?: ' : ': ');
  }
  emitDeclaredType(writer, member.type);
}

function emitPropertyName(writer: Writer, name: PropertyName): void {
  writer.write(name.kind === 'identifier' ? name.text : singleQuoted(name.value));
}

/** The type of an alias, property or index signature: parentheses around all of it are noise. */
function emitDeclaredType(writer: Writer, type: TypeNode): void {
  emitType(writer, type.kind === 'parenthesized' ? type.type : type);
}

const emitters: { readonly [K in TypeNode['kind']]: Emit<Extract<TypeNode, { kind: K }>> } = {
  keyword: (writer, node) => writer.write(node.text),
  reference: (writer, node) => writer.write(node.name),
  string: (writer, node) => writer.write(singleQuoted(node.value)),
  number: (writer, node) => writer.write(node.text),
  parenthesized: (writer, node) => {
    writer.write('(');
    emitType(writer, node.type);
    writer.write(')');
  },
  union: (writer, node) => emitOperands(writer, node.types, ' | '),
  intersection: (writer, node) => emitOperands(writer, node.types, ' & '),
  array: (writer, node) => {
    emitType(writer, node.element);
    writer.write('[]');
  },
  tuple: (writer, node) => {
    writer.write('[');
    emitLines(writer, node.elements, '', emitTupleElement, ',');
    writer.write(']');
  },
  typeLiteral: (writer, node) => emitMembers(writer, node.members, 'typeLiteral'),
};

function emitType(writer: Writer, node: TypeNode): void {
  (emitters[node.kind] as Emit<TypeNode>)(writer, node);
}

function emitOperands(writer: Writer, types: readonly TypeNode[], operator: string): void {
  types.forEach((type, index) => {
    if (index > 0) writer.write(operator);
    emitType(writer, type);
  });
}

function emitTupleElement(writer: Writer, element: TupleElement): void {
  if (element.kind === 'rest') {
    writer.write('...');
    emitType(writer, element.type);
  } else {
    emitType(writer, element);
  }
}

/** Each comment, then a line break (the library always ends a comment's line after it). */
function emitComments(writer: Writer, comments: readonly Comment[]): void {
  for (const comment of comments) {
    emitComment(writer, comment);
    writer.line();
  }
}

/** TypeScript's writeCommentRange, from the column the comment stood at in the library's output. */
function emitComment(writer: Writer, comment: Comment): void {
  writeCommentLines(writer, comment.text, comment.column);
}
