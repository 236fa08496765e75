/**
 * GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=rule::message`, which the
 * runner turns into annotations on the pull request. Data and property values are escaped as the Actions
 * toolkit does (`%`, CR, LF; plus `:` and `,` in properties).
 */
import { type Diagnostic, ruleOf } from '../../../generators/diagnostics/diagnostic.ts';
import type { Change } from '../types.ts';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

type Level = 'error' | 'warning' | 'notice';

function command(
  level: Level,
  item: { file: string; line?: number; column?: number; pointer: string },
  title: string,
  message: string,
): string {
  const props = [`file=${escapeProperty(item.file)}`];
  if (item.line !== undefined) props.push(`line=${item.line}`);
  if (item.column !== undefined) props.push(`col=${item.column}`);
  props.push(`title=${escapeProperty(title)}`);
  return `::${level} ${props.join(',')}::${escapeData(message)}`;
}

const FINDING_LEVEL: Record<Diagnostic['severity'], Level> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
};
const CHANGE_LEVEL: Record<Change['classification'], Level> = {
  breaking: 'error',
  undecidable: 'warning',
  'non-breaking': 'notice',
};

export function githubFindings(findings: readonly Diagnostic[]): string {
  const lines = findings.map((f) =>
    command(
      FINDING_LEVEL[f.severity],
      f,
      ruleOf(f),
      [
        f.message,
        ...(f.expected ? [`expected: ${f.expected}`] : []),
        ...(f.hint ? [`fix: ${f.hint}`] : []),
      ].join('\n'),
    ),
  );
  const errors = findings.filter((f) => f.severity === 'error').length;
  lines.push(`eventwire check: ${findings.length} finding(s), ${errors} error(s)`);
  return `${lines.join('\n')}\n`;
}

export function githubChanges(changes: readonly Change[]): string {
  const lines = changes.map((c) =>
    command(
      CHANGE_LEVEL[c.classification],
      c,
      `${c.rule} (${c.classification})`,
      c.affects.length > 0 ? `${c.message}\naffects: ${c.affects.join(', ')}` : c.message,
    ),
  );
  const breaking = changes.filter((c) => c.classification === 'breaking').length;
  lines.push(`eventwire diff: ${changes.length} change(s), ${breaking} breaking`);
  return `${lines.join('\n')}\n`;
}
