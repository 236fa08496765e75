/**
 * How every command prints a diagnostic to a person (generate, check, diff, test, load):
 *
 *   file:line:col /json/pointer
 *     error: what is wrong  [rule]
 *       expected: the form that would be accepted
 *       fix: how to fix it
 *
 * `file:line:col` first, alone, so editors and CI logs turn it into a link; the rule id last on the message
 * line, so it can be looked up, configured or ignored. `label` prefixes the file (the git revision of the old
 * side of `diff --against`). `diff` prints its changes in the same blocks (formatEntry).
 */
import path from 'node:path';
import { type Diagnostic, ruleOf } from './diagnostic.ts';
import { style } from './style.ts';

export interface FormatOptions {
  /** ANSI colours (only when writing to a terminal). */
  readonly color?: boolean;
  /** Files are shown relative to this folder. */
  readonly cwd?: string;
  readonly label?: string;
}

/** What a block shows: a place in a file, a labelled message with its rule, and `name: value` lines below. */
export interface Entry {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly pointer: string;
  readonly message: string;
  readonly rule: string;
}

/**
 * The block layout shared by every report about a place in a contract: diagnostics here, and `diff`'s
 * changes (labelled with their classification instead of a severity, `affects:` below).
 */
export function formatEntry(
  entry: Entry,
  label: { readonly text: string; readonly tone: 'red' | 'yellow' | 'blue' | 'green' },
  details: readonly (readonly [string, string | undefined])[],
  options: FormatOptions = {},
): string {
  const s = style(options.color ?? false);
  const file = options.cwd ? path.relative(options.cwd, entry.file) || entry.file : entry.file;
  const position =
    entry.line !== undefined ? `:${entry.line}${entry.column !== undefined ? `:${entry.column}` : ''}` : '';
  const pointer = entry.pointer ? ` ${s.dim(entry.pointer)}` : '';
  const lines = [
    `${options.label ?? ''}${s.bold(`${file}${position}`)}${pointer}`,
    `  ${s[label.tone](label.text)}: ${entry.message}  ${s.dim(`[${entry.rule}]`)}`,
  ];
  for (const [name, value] of details) if (value) lines.push(`    ${s.dim(`${name}:`)} ${value}`);
  return lines.join('\n');
}

const TONE = { error: 'red', warning: 'yellow', info: 'blue' } as const;

export function formatDiagnostic(diagnostic: Diagnostic, options: FormatOptions = {}): string {
  return formatEntry(
    { ...diagnostic, rule: ruleOf(diagnostic) },
    { text: diagnostic.severity, tone: TONE[diagnostic.severity] },
    [
      ['expected', diagnostic.expected],
      ['fix', diagnostic.hint],
    ],
    options,
  );
}

/** Every diagnostic in the order given, one block each, ending with a newline ('' for none). */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  return diagnostics.map((d) => `${formatDiagnostic(d, options)}\n`).join('');
}

/** `file:line:col pointer — message (hint)` on one line: for tables and test messages, not for a person's terminal. */
export function formatDiagnosticLine(diagnostic: Diagnostic): string {
  const place = [
    diagnostic.file,
    diagnostic.line,
    diagnostic.line === undefined ? undefined : diagnostic.column,
  ]
    .filter((part) => part !== undefined)
    .join(':');
  const pointer = diagnostic.pointer === '' ? '' : ` ${diagnostic.pointer}`;
  const hint = diagnostic.hint ? ` (${diagnostic.hint})` : '';
  return `${place}${pointer} — ${diagnostic.message}${hint}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `2 problems (1 error, 1 warning, 0 info)`. */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const count = (severity: Diagnostic['severity']) =>
    diagnostics.filter((d) => d.severity === severity).length;
  return `${plural(diagnostics.length, 'problem')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info)`;
}
