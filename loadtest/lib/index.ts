/**
 * What generated load-test scripts import: `publish` for the iterations, `k6Options` for the scenarios and
 * thresholds of the run's profile (from the contract targets the script carries), and the processing side's
 * `setup` / `teardown`. Settings come from the environment (PROFILE, DURATION, RATE_SCALE, CONSUMER_METRICS...).
 */
import type { Options } from 'k6/options';
import { k6Scenario, k6Thresholds } from './k6-options.ts';
import { type OperationTarget, planScenarios, planThresholds } from './plan.ts';
import { type Baseline, processingSetup, processingTeardown } from './processing.ts';
import { publish, settings } from './publish.ts';

/** k6 provides a console; its type definitions do not declare one. */
declare const console: { warn(...values: unknown[]): void };

export type { OperationTarget } from './plan.ts';
export type { LoadEvent, Publication } from './types.ts';
export type { Baseline };
export { publish, settings };

const planFor = (targets: readonly OperationTarget[]) =>
  planScenarios(targets, {
    profile: settings.profile,
    rateScale: settings.rateScale,
    ...(settings.durationMs !== undefined ? { durationMs: settings.durationMs } : {}),
  });

/** The run's k6 options: one scenario per operation for PROFILE, its thresholds from the contract's SLAs. */
export function k6Options(targets: readonly OperationTarget[]): Options {
  const scenarios = planFor(targets);
  return {
    scenarios: Object.fromEntries(scenarios.map((s) => [s.name, k6Scenario(s)])),
    thresholds: k6Thresholds(planThresholds(targets, scenarios), {
      processing: settings.consumerMetrics.length > 0,
    }),
  };
}

/** setup(): the consumers' counters before the load, and what the plan could not size (said once). */
export function loadSetup(targets: readonly OperationTarget[]): Baseline {
  for (const scenario of planFor(targets)) {
    for (const note of scenario.notes) console.warn(`${scenario.name}: ${note}`);
  }
  if (settings.consumerMetrics.length === 0) {
    console.warn('CONSUMER_METRICS is not set: processing p95 and delivery are not judged in this run');
  }
  return processingSetup(settings);
}

/** teardown(): the processing side, judged from the consumers' counters. */
export function loadTeardown(targets: readonly OperationTarget[], baseline: Baseline): void {
  processingTeardown(settings, targets, planFor(targets), baseline);
}
