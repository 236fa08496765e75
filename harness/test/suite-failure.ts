/**
 * What a failed suite broke, as one message for a test's assertion: each violated invariant with what was
 * observed, then the run's error. Empty when the suite held.
 */
import type { SuiteResult } from '../engine/suite.ts';

export function failureSummary(result: SuiteResult): string {
  const failure = result.failure;
  if (failure === undefined) return '';
  return [...failure.violations.map((v) => `${v.invariant}: ${v.observed}`), failure.error]
    .filter(Boolean)
    .join('\n');
}
