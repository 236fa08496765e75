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
 * side of `diff --against`).
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

export function formatDiagnostic(diagnostic: Diagnostic, options: FormatOptions = {}): string {
  const s = style(options.color ?? false);
  const file = options.cwd ? path.relative(options.cwd, diagnostic.file) || diagnostic.file : diagnostic.file;
  const position =
    diagnostic.line !== undefined
      ? `:${diagnostic.line}${diagnostic.column !== undefined ? `:${diagnostic.column}` : ''}`
      : '';
  const pointer = diagnostic.pointer ? ` ${s.dim(diagnostic.pointer)}` : '';
  const severity = { error: s.red, warning: s.yellow, info: s.blue }[diagnostic.severity](
    diagnostic.severity,
  );
  const lines = [
    `${options.label ?? ''}${s.bold(`${file}${position}`)}${pointer}`,
    `  ${severity}: ${diagnostic.message}  ${s.dim(`[${ruleOf(diagnostic)}]`)}`,
  ];
  if (diagnostic.expected) lines.push(`    ${s.dim('expected:')} ${diagnostic.expected}`);
  if (diagnostic.hint) lines.push(`    ${s.dim('fix:')} ${diagnostic.hint}`);
  return lines.join('\n');
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
