/**
 * JUnit XML for CI: one testsuite per service, one testcase per receive operation; a failed case carries the
 * broken invariants, the counterexample and the replay command, so the CI's test view shows what to run.
 */
import type { HarnessReport } from '../engine/harness-run.ts';
import { replayCommand } from '../engine/harness-run.ts';
import { stepText } from '../engine/steps.ts';
import type { SuiteResult } from '../engine/suite.ts';
import { countsLine } from './counts.ts';

/** Code points XML 1.0 cannot carry at all (controls other than tab, newline, carriage return). */
function forbidden(code: number): boolean {
  return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
}

function xml(text: string): string {
  const kept = [...text].filter((char) => !forbidden(char.codePointAt(0)!)).join('');
  return kept
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function failureText(report: HarnessReport, suite: SuiteResult): string {
  const lines: string[] = [];
  for (const violation of suite.failure?.violations ?? []) {
    lines.push(`${violation.invariant}: expected ${violation.expected}; observed ${violation.observed}`);
  }
  if (suite.failure?.error) lines.push(`error: ${suite.failure.error}`);
  if (suite.failure) {
    lines.push(
      'counterexample:',
      ...suite.failure.steps.map((step, index) => `  ${index + 1}. ${stepText(step)}`),
    );
    lines.push(`replay: ${replayCommand(report, suite)}`);
  }
  if (suite.uncovered.length > 0)
    lines.push(`faults asked for that never happened: ${suite.uncovered.join(', ')}`);
  return lines.join('\n');
}

/** What the gate did not judge, and the dead letters the faults excused: said, never a failure. */
function notes(suite: SuiteResult): string[] {
  const lines: string[] = [];
  if (suite.tooFewRuns) {
    lines.push(
      `${suite.runs} runs for ${suite.tooFewRuns.needed} fault kinds: ${suite.tooFewRuns.kinds.join(', ')} had no run of their own`,
    );
  }
  for (const row of suite.coverage)
    if (row.inapplicable) lines.push(`${row.fault} cannot happen here: ${row.inapplicable}`);
  for (const row of suite.excused) lines.push(`excused ${row.count} (${row.kind}): e.g. ${row.example}`);
  return lines;
}

export function junitReport(report: HarnessReport): string {
  const byService = new Map<string, SuiteResult[]>();
  for (const suite of report.suites) {
    byService.set(suite.target.service, [...(byService.get(suite.target.service) ?? []), suite]);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = report.suites.filter((suite) => !suite.ok).length;
  out.push(
    `<testsuites name="eventwire test" tests="${report.suites.length}" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">`,
  );
  for (const [service, suites] of byService) {
    const failed = suites.filter((suite) => !suite.ok).length;
    const time = suites.reduce((sum, suite) => sum + suite.durationMs, 0) / 1000;
    out.push(
      `  <testsuite name="${xml(service)}" tests="${suites.length}" failures="${failed}" time="${time.toFixed(3)}">`,
    );
    for (const suite of suites) {
      out.push(
        `    <testcase classname="${xml(`eventwire.${service}`)}" name="${xml(suite.target.operation)}" time="${(suite.durationMs / 1000).toFixed(3)}">`,
      );
      out.push(
        `      <system-out>${xml([`${suite.runs} runs, seed ${suite.seed}; ${countsLine(suite.counts)}`, ...notes(suite)].join('\n'))}</system-out>`,
      );
      if (!suite.ok) {
        const first = suite.failure?.violations[0];
        const message = first
          ? `${first.invariant}: ${first.expected}`
          : (suite.failure?.error ?? `faults never happened: ${suite.uncovered.join(', ')}`);
        out.push(
          `      <failure message="${xml(message)}" type="${xml(first?.invariant ?? 'coverage')}">${xml(failureText(report, suite))}</failure>`,
        );
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
