/**
 * The layout rules both compiler-free printers share with TypeScript's printer (printer.ts for the emitters'
 * trees, type-source/print.ts for json-schema-to-typescript's types): its line breaks and whitespace, its
 * 4-column indent halved to the house 2 (generated files were printed by TypeScript, then re-indented), and its
 * way of laying out a comment's lines (writeCommentRange).
 */

/** TypeScript's indent: comment lines are laid out in its columns, then halved like everything else. */
export const TS_INDENT = 4;

/** A run of leading spaces TypeScript wrote, as the house style leaves it: whole indents halved, the rest kept. */
export const halved = (spaces: number): number => Math.floor(spaces / TS_INDENT) * 2 + (spaces % TS_INDENT);

/** Any of the line breaks TypeScript counts, in a string. */
export const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** The line breaks TypeScript counts: `\n`, `\r`, U+2028, U+2029. */
export function isLineBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

/** TypeScript's `calculateIndent`: the width of the whitespace at `from`, up to `to` (a tab to the next 4). */
export function indentWidth(text: string, from: number, to: number): number {
  let width = 0;
  for (let i = from; i < to && isSingleLineWhiteSpace(text.charCodeAt(i)); i++) {
    width += text.charCodeAt(i) === 0x09 ? TS_INDENT - (width % TS_INDENT) : 1;
  }
  return width;
}

/** TypeScript's `isWhiteSpaceSingleLine`. */
function isSingleLineWhiteSpace(code: number): boolean {
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0b ||
    code === 0x0c ||
    code === 0xa0 ||
    code === 0x85 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200b) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * A line writer like TypeScript's: text written at the start of a line is indented first (2 spaces a level);
 * `line()` breaks a line only when the current one has text, which lets a comment or a list item ask for its own
 * line without ever producing blank lines.
 */
export class LayoutWriter {
  text = '';
  indent = 0;
  atLineStart = true;

  write(s: string): void {
    if (s.length === 0) return;
    if (this.atLineStart) {
      this.text += '  '.repeat(this.indent);
      this.atLineStart = false;
    }
    this.text += s;
    this.track(s);
  }

  /** Written as is, never indented (the continuation lines of a comment carry their own indent). */
  raw(s: string): void {
    this.text += s;
    this.track(s);
  }

  line(): void {
    if (!this.atLineStart) {
      this.text += '\n';
      this.atLineStart = true;
    }
  }

  /** Text written may hold line breaks (only comments can): the next write indents only right after one. */
  private track(s: string): void {
    this.atLineStart = LINE_BREAK.test(s) && isLineBreak(s.charCodeAt(s.length - 1));
  }
}

/**
 * A comment's lines as TypeScript writes them (writeCommentRange): the first where the writer is; every further
 * line trimmed and placed at its own indent relative to `column` (where the comment's first line stood in its
 * source; 0 for a synthesized comment), shifted to the writer's indent. A line ends before the last character of
 * its line break (so `\r\n` leaves the `\r`, which trimming removes).
 */
export function writeCommentLines(w: LayoutWriter, text: string, column: number): void {
  const lines = commentLines(text);
  lines.forEach((line, index) => {
    if (index > 0) {
      const spaces = w.indent * TS_INDENT - column + indentWidth(line, 0, line.length);
      w.raw(spaces > 0 ? ' '.repeat(halved(spaces)) : '');
    }
    const trimmed = line.trim();
    if (trimmed === '') {
      w.raw('\n');
    } else {
      w.write(trimmed);
      if (index < lines.length - 1) w.line();
    }
  });
}

function commentLines(text: string): string[] {
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
