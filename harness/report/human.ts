/**
 * The terminal report: one line per suite; for a failed suite the broken invariants (expected / observed), the
 * shrunk counterexample as numbered steps, its timeline, and the command that replays it; then the fault
 * coverage table and the totals.
 */
import type { HarnessReport } from '../engine/harness-run.ts';
import { replayCommand } from '../engine/harness-run.ts';
import { EXCUSE_TEXT } from '../engine/check/excuse.ts';
import { stepText } from '../engine/steps.ts';
import type { SuiteResult } from '../engine/suite.ts';
import type { FaultKind } from '../engine/types.ts';
import { countsLine } from './counts.ts';
import { duration, timeline } from './timeline.ts';

export function humanReport(report: HarnessReport): string {
  const lines: string[] = [];
  lines.push(
    `eventwire test: ${report.suites.length} suite${report.suites.length === 1 ? '' : 's'} on ${report.mode} brokers, ` +
      `seed ${report.seed}, up to ${report.runsPerSuite} runs each${report.variant ? `, runtime variant ${report.variant}` : ''}`,
  );
  lines.push(`faults: ${report.faults.join(', ')}`, '');
  const width = Math.max(...report.suites.map((suite) => label(suite).length));
  for (const suite of report.suites) {
    const mark = suite.ok ? 'PASS' : 'FAIL';
    const runs = `${suite.runs} run${suite.runs === 1 ? '' : 's'}${suite.interrupted ? ' (budget reached)' : ''}`;
    lines.push(`${mark}  ${label(suite).padEnd(width)}  ${runs}, ${duration(suite.durationMs)}`);
    if (!suite.ok) lines.push(...failureLines(report, suite));
    lines.push(...coverageNotes(suite), ...excusedLines(suite));
  }
  lines.push('', ...coverageTable(report), '', `totals: ${countsLine(report.totals)}`);
  const failed = report.suites.filter((suite) => !suite.ok).length;
  lines.push(
    failed === 0
      ? `all ${report.suites.length} suites hold (${duration(report.durationMs)})`
      : `${failed} of ${report.suites.length} suites failed (${duration(report.durationMs)})`,
  );
  return `${lines.join('\n')}\n`;
}

function label(suite: SuiteResult): string {
  return `${suite.target.service}/${suite.target.operation}`;
}

function failureLines(report: HarnessReport, suite: SuiteResult): string[] {
  const lines: string[] = [];
  const failure = suite.failure;
  if (failure) {
    if (failure.error) lines.push(`      error: ${failure.error}`);
    for (const violation of failure.violations) {
      lines.push(`      invariant broken: ${violation.invariant}`);
      lines.push(`        expected: ${violation.expected}`);
      lines.push(`        observed: ${violation.observed}`);
    }
    lines.push(
      `      counterexample (${failure.steps.length} step${failure.steps.length === 1 ? '' : 's'}, after ${suite.shrinks} shrinks):`,
    );
    for (const [index, step] of failure.steps.entries())
      lines.push(`        ${index + 1}. ${stepText(step)}`);
    lines.push('      timeline:');
    for (const line of timeline(failure.history)) {
      lines.push(
        `        ${String(Math.round(line.at)).padStart(8)} ms  ${line.actor.padEnd(10)}  ${line.text}`,
      );
    }
    lines.push(`      counts: ${countsLine(failure.counts)}`);
    lines.push(`      replay: ${replayCommand(report, suite)}`);
  }
  if (suite.uncovered.length > 0) {
    lines.push(
      `      faults asked for that never happened: ${suite.uncovered.join(', ')} (see the coverage table)`,
    );
  }
  return lines;
}

/** What the coverage gate did not judge: kinds without a run of their own, kinds that cannot happen here. */
function coverageNotes(suite: SuiteResult): string[] {
  const lines: string[] = [];
  const few = suite.tooFewRuns;
  if (few) {
    lines.push(
      `      ${suite.runs} run${suite.runs === 1 ? '' : 's'} for ${few.needed} fault kinds: ${few.kinds.join(', ')} ` +
        `never happened and had no run of their own (not judged; --runs ${few.needed} or more covers every kind)`,
    );
  }
  for (const row of suite.coverage) {
    if (row.inapplicable) lines.push(`      ${row.fault} cannot happen here: ${row.inapplicable}`);
  }
  return lines;
}

/** Dead letters of healthy events that the faults explain: allowed, but said, with one example each. */
function excusedLines(suite: SuiteResult): string[] {
  return suite.excused.map(
    (row) => `      excused ${row.count}: ${EXCUSE_TEXT[row.kind]} (e.g. ${row.example})`,
  );
}

function coverageTable(report: HarnessReport): string[] {
  const faults = report.faults as readonly FaultKind[];
  const header = ['fault', ...report.suites.map((_, index) => `#${index + 1}`)];
  const rows = faults.map((fault) => [
    fault,
    ...report.suites.map((suite) => {
      const row = suite.coverage.find((candidate) => candidate.fault === fault);
      if (row && row.runs > 0) return String(row.runs);
      if (suite.uncovered.includes(fault)) return 'NEVER';
      if (suite.tooFewRuns?.kinds.includes(fault)) return 'no run';
      return row?.inapplicable ? 'n/a' : '-';
    }),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const render = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [
    'fault coverage (runs in which each fault happened, per suite):',
    ...report.suites.map((suite, index) => `  #${index + 1} ${label(suite)}`),
    `  ${render(header)}`,
    ...rows.map((row) => `  ${render(row)}`),
    '  (-: not asked for or not in this broker mode · n/a: cannot happen on the operation · no run: fewer runs than kinds)',
  ];
}
