/**
 * A tiny Markdown builder. Contract text (descriptions, names, examples) is arbitrary, so it only reaches a page
 * through these helpers: `Md` is a branded string that only they produce, and every function that assembles a
 * page takes `Md`, so passing raw text where Markdown is expected fails to compile instead of breaking a table.
 */
declare const markdown: unique symbol;

/** Markdown that is safe to place as is. */
export type Md = string & { readonly [markdown]: true };

const trusted = (text: string): Md => text as Md;

/** Inline text: one line, with the characters Markdown would interpret escaped. */
export function text(raw: string): Md {
  const line = raw.replace(/\s*\r?\n\s*/g, ' ');
  // `|` is left alone here and escaped by `table`: GFM needs `\|` inside cells, code spans included.
  return trusted(
    line
      .replace(/[\\`*_[\]<>&]/g, (c) => `\\${c}`)
      .replace(/^(?:[#+-]|(\d+)\.)(?= )/, (m, digits) => (digits ? `${digits}\\.` : `\\${m}`)),
  );
}

/**
 * Contract descriptions are CommonMark (AsyncAPI says so), so they stay Markdown: only raw HTML outside code
 * spans is neutralised, since `ORD-<yyyymmdd>` would otherwise vanish as an unknown tag. Autolinks stay.
 */
function neutraliseHtml(markdownText: string): string {
  const codeSpan = /(`+)[\s\S]*?[^`]\1(?!`)/g;
  let out = '';
  let last = 0;
  const escapeTags = (gap: string) =>
    gap.replace(/<(?![a-z][a-z0-9+.-]*:[^\s<>]*>)(?=[A-Za-z/!?])/gi, '&lt;');
  for (const match of markdownText.matchAll(codeSpan)) {
    out += escapeTags(markdownText.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeTags(markdownText.slice(last));
}

/** A contract description inside a line (a table cell, a list item): flattened to one line. */
export function prose(markdownText: string): Md {
  return trusted(neutraliseHtml(markdownText.trim().replace(/\s*\r?\n\s*/g, ' ')));
}

/** A contract description as a block of its own, paragraphs and indented diagrams kept. */
export function proseBlock(markdownText: string): Md {
  return trusted(neutraliseHtml(markdownText.replace(/\r\n/g, '\n').replace(/^\s*\n|\s+$/g, '')));
}

/** Inline code that survives backticks in the value (the fence is longer than any backtick run inside). */
export function code(raw: string): Md {
  const line = raw.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return trusted(`${fence}${pad}${line}${pad}${fence}`);
}

export function bold(value: Md): Md {
  return trusted(`**${value}**`);
}

export function link(label: Md, href: string): Md {
  return trusted(
    `[${label}](${encodeURI(href).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)})`,
  );
}

/** Joins inline pieces; the separator is text, so it is escaped like any other. */
export function join(parts: readonly Md[], separator = ', '): Md {
  return trusted(parts.join(text(separator)));
}

/** Concatenates inline pieces without a separator: `concat(text('p95 < '), code('10ms'))`. */
export function concat(...parts: readonly Md[]): Md {
  return trusted(parts.join(''));
}

export function heading(level: 1 | 2 | 3 | 4, title: Md): Md {
  return trusted(`${'#'.repeat(level)} ${title}`);
}

export function paragraph(...sentences: readonly Md[]): Md {
  return trusted(sentences.join(' '));
}

export function list(items: readonly Md[]): Md {
  return trusted(items.map((item) => `- ${item}`).join('\n'));
}

/** `- **label**: value` lines: the fact sheets at the top of each section. */
export function facts(entries: readonly (readonly [string, Md] | undefined)[]): Md {
  return list(
    entries
      .filter((e) => e !== undefined)
      .map(([label, value]) => concat(bold(text(label)), text(': '), value)),
  );
}

/** A GFM table; `|` is escaped in every cell (GFM reads `\|` as a literal pipe, inside code spans too). */
export function table(headers: readonly string[], rows: readonly (readonly Md[])[]): Md {
  const cell = (value: string) => value.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return trusted(
    [
      line(headers.map((h) => text(h))),
      `| ${headers.map(() => '---').join(' | ')} |`,
      ...rows.map(line),
    ].join('\n'),
  );
}

/** A fenced code block whose fence is longer than any backtick run at a line start inside it. */
export function codeBlock(language: string, body: string): Md {
  const runs = body.match(/^ {0,3}`{3,}/gm) ?? [];
  const longest = Math.max(2, ...runs.map((run) => run.trim().length));
  const fence = '`'.repeat(longest + 1);
  return trusted(`${fence}${language}\n${body.replace(/\n$/, '')}\n${fence}`);
}

/** A whole page: blocks separated by one blank line, ending with one newline; empty blocks are dropped. */
export function page(...blocks: readonly (Md | undefined | false)[]): string {
  return `${blocks.filter((b): b is Md => typeof b === 'string' && b !== '').join('\n\n')}\n`;
}
