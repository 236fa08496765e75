/**
 * Prints parsed declarations exactly as TypeScript's printer (plus print.ts's re-indentation) printed them when
 * they were re-printed through the compiler: type literals, interfaces and tuples one member per line, `;`
 * after members and aliases, string literals single-quoted, parentheses around a whole declared type dropped,
 * and comments re-indented line by line the way the printer does (writeCommentRange). The printer adds no
 * parentheses of its own to parsed nodes, so types keep the structure they were read with (`A & B | C`).
 */
import type { Comment, Declaration, Member, PropertyName, TupleElement, TypeNode } from './syntax.ts';
import { singleQuoted } from '../string-literal.ts';
import { indentWidth, isLineBreak } from './tokens.ts';

/** TypeScript's printer indents by 4 spaces, and places comment lines by that unit. */
const INDENT = 4;

/**
 * print.ts's `reindent` then turns every run of leading spaces into the house 2-space indentation
 * (`n` -> `floor(n / 4) * 2 + n % 4`). Leading spaces come only from the two places that call this, so the
 * text is written re-indented rather than rewritten afterwards.
 */
const reindented = (spaces: number): string => ' '.repeat(Math.floor(spaces / 4) * 2 + (spaces % 4));

/** TypeScript's text writer, reduced to what these declarations use. */
class Writer {
  text = '';
  indent = 0;
  /** At the start of a line, where the next `write` puts the indentation first. */
  private lineStart = true;

  write(text: string): void {
    if (text === '') return;
    if (this.lineStart) {
      this.text += reindented(this.indent * INDENT);
      this.lineStart = false;
    }
    this.text += text;
  }

  /** Written as is, no indentation; a line break at its end starts a line. */
  rawWrite(text: string): void {
    this.text += text;
    const last = text.length > 0 ? text.charCodeAt(text.length - 1) : -1;
    this.lineStart = isLineBreak(last);
  }

  newLine(): void {
    if (this.lineStart) return;
    this.text += '\n';
    this.lineStart = true;
  }
}

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
  writer.newLine();
  if (items.length === 0) return;
  writer.indent++;
  items.forEach((item, index) => {
    if (index > 0) {
      writer.write(separator);
      writer.newLine();
    }
    emit(writer, item);
    writer.write(terminator);
  });
  writer.indent--;
  writer.newLine();
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
    writer.newLine();
  }
}

/**
 * TypeScript's writeCommentRange: the first line goes where the writer is; every further line keeps its
 * indentation relative to the first line's column, shifted to the writer's indentation, and is trimmed.
 */
function emitComment(writer: Writer, comment: Comment): void {
  const lines = splitLines(comment.text);
  lines.forEach((line, index) => {
    if (index > 0) {
      const spaces = writer.indent * INDENT - comment.column + indentWidth(line, 0, line.length);
      writer.rawWrite(spaces > 0 ? reindented(spaces) : '');
    }
    const trimmed = line.trim();
    if (trimmed === '') {
      writer.rawWrite('\n');
    } else {
      writer.write(trimmed);
      if (index < lines.length - 1) writer.newLine();
    }
  });
}

/**
 * The comment's lines as TypeScript's line map cuts them: a line ends before the last character of its line
 * break (so `\r\n` leaves the `\r`, which trimming removes).
 */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isLineBreak(code)) continue;
    if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    lines.push(text.slice(start, i));
    start = i + 1;
  }
  lines.push(text.slice(start));
  return lines;
}
