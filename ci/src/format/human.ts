/**
 * The human format: findings and changes in the block layout every command prints diagnostics in
 * (generators/diagnostics/format.ts), then a count.
 */
import type { Diagnostic } from '../../../generators/diagnostics/diagnostic.ts';
import { countDiagnostics, formatDiagnostics, formatEntry } from '../../../generators/diagnostics/format.ts';
import type { Change } from '../types.ts';
import { style } from '../../../generators/diagnostics/style.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Every finding in the layout every command prints diagnostics in, then the count. */
export function humanFindings(findings: readonly Diagnostic[], color: boolean, cwd?: string): string {
  const s = style(color);
  if (findings.length === 0) return `${s.green('✔')} no problems found\n`;
  const mark = findings.some((f) => f.severity === 'error') ? s.red('✖') : s.yellow('!');
  return `${formatDiagnostics(findings, { color, ...(cwd ? { cwd } : {}) })}\n${mark} ${countDiagnostics(findings)}\n`;
}

const CLASSIFICATION = {
  breaking: { text: 'BREAKING', tone: 'red' },
  undecidable: { text: 'UNDECIDABLE', tone: 'yellow' },
  'non-breaking': { text: 'non-breaking', tone: 'green' },
} as const;

/** Every change in the block layout of diagnostics, its classification in place of a severity, then the count. */
export function humanChanges(changes: readonly Change[], color: boolean): string {
  const s = style(color);
  if (changes.length === 0) return `${s.green('✔')} no contract changes\n`;
  const blocks = changes.map(
    (c) =>
      `${formatEntry(c, CLASSIFICATION[c.classification], [['affects', c.affects.join(', ')]], { color })}\n`,
  );
  const count = (k: Change['classification']) => changes.filter((c) => c.classification === k).length;
  const breaking = count('breaking');
  const mark = breaking > 0 ? s.red('✖') : s.green('✔');
  return `${blocks.join('')}\n${mark} ${plural(breaking, 'breaking change')}, ${count('undecidable')} undecidable, ${count('non-breaking')} non-breaking\n`;
}
