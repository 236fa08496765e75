/**
 * `report.json` and `--format json`: the whole report as data, with each failed suite's counterexample (steps as
 * data and as text), its history and the replay command. Schema: harness/README.md, "report.json".
 */
import type { HarnessReport } from '../engine/harness-run.ts';
import { replayCommand } from '../engine/harness-run.ts';
import { stepText } from '../engine/steps.ts';

export const REPORT_SCHEMA_VERSION = 1;

export function jsonReport(report: HarnessReport): string {
  return `${JSON.stringify(
    {
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: 'eventwire test',
      ok: report.ok,
      brokers: report.mode,
      seed: report.seed,
      faults: report.faults,
      runsPerSuite: report.runsPerSuite,
      timeScale: report.timeScale,
      ...(report.variant ? { variant: report.variant } : {}),
      startedAt: report.startedAt,
      durationMs: Math.round(report.durationMs),
      totals: report.totals,
      suites: report.suites.map((suite) => ({
        service: suite.target.service,
        operation: suite.target.operation,
        subscription: suite.target.spec.name,
        ok: suite.ok,
        runs: suite.runs,
        interrupted: suite.interrupted,
        durationMs: Math.round(suite.durationMs),
        seed: suite.seed,
        counts: suite.counts,
        coverage: suite.coverage,
        uncovered: suite.uncovered,
        ...(suite.tooFewRuns ? { tooFewRuns: suite.tooFewRuns } : {}),
        excused: suite.excused,
        ...(suite.failure
          ? {
              failure: {
                ...(suite.path !== undefined ? { path: suite.path } : {}),
                shrinks: suite.shrinks,
                steps: suite.failure.steps.map((step) => ({ ...step, text: stepText(step) })),
                text: suite.failure.text,
                violations: suite.failure.violations,
                counts: suite.failure.counts,
                ...(suite.failure.error ? { error: suite.failure.error } : {}),
                history: suite.failure.history,
                replay: replayCommand(report, suite),
              },
            }
          : {}),
      })),
    },
    (_key, value: unknown) => (value === Number.POSITIVE_INFINITY ? 'Infinity' : value),
    2,
  )}\n`;
}
