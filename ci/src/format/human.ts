/**
 * The human format. Findings: the layout of every diagnostic (generators/diagnostics/format.ts). Changes: grouped
 * by file, one line per change with its position, the services it affects indented below.
 */
import type { Diagnostic } from '../../../generators/diagnostics/diagnostic.ts';
import { countDiagnostics, formatDiagnostics } from '../../../generators/diagnostics/format.ts';
import type { Change } from '../types.ts';
import { type Style, style } from '../../../generators/diagnostics/style.ts';

function byFile<T extends { readonly file: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.file, [...(groups.get(item.file) ?? []), item]);
  return groups;
}

function position(item: {
  readonly line?: number;
  readonly column?: number;
  readonly pointer: string;
}): string {
  return item.line !== undefined ? `${item.line}:${item.column ?? 1}` : item.pointer || '/';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Every finding in the layout every command prints diagnostics in, then the count. */
export function humanFindings(findings: readonly Diagnostic[], color: boolean, cwd?: string): string {
  const s = style(color);
  if (findings.length === 0) return `${s.green('✔')} no problems found\n`;
  const mark = findings.some((f) => f.severity === 'error') ? s.red('✖') : s.yellow('!');
  return `${formatDiagnostics(findings, { color, ...(cwd ? { cwd } : {}) })}\n${mark} ${countDiagnostics(findings)}\n`;
}

function classificationLabel(s: Style, c: Change['classification']): string {
  if (c === 'breaking') return s.red('BREAKING    ');
  if (c === 'undecidable') return s.yellow('UNDECIDABLE ');
  return s.green('non-breaking');
}

export function humanChanges(changes: readonly Change[], color: boolean): string {
  const s = style(color);
  if (changes.length === 0) return `${s.green('✔')} no contract changes\n`;
  const lines: string[] = [];
  for (const [file, items] of byFile(changes)) {
    lines.push(s.bold(file));
    const width = Math.max(...items.map((c) => position(c).length));
    for (const c of items) {
      lines.push(
        `  ${s.dim(position(c).padEnd(width))}  ${classificationLabel(s, c.classification)}  ${c.message}  ${s.dim(c.rule)}`,
      );
      if (c.affects.length > 0)
        lines.push(`  ${' '.repeat(width)}  ${' '.repeat(12)}  ${s.dim('affects:')} ${c.affects.join(', ')}`);
    }
    lines.push('');
  }
  const count = (k: Change['classification']) => changes.filter((c) => c.classification === k).length;
  const breaking = count('breaking');
  const mark = breaking > 0 ? s.red('✖') : s.green('✔');
  lines.push(
    `${mark} ${plural(breaking, 'breaking change')}, ${count('undecidable')} undecidable, ${count('non-breaking')} non-breaking`,
  );
  return `${lines.join('\n')}\n`;
}
