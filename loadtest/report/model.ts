/**
 * report.json: what a load run measured and how each threshold was judged, per operation and phase, with the
 * series the HTML page plots. Percentiles come from the merged HdrHistograms.
 */
import type { PlannedThreshold, PlanSettings, Profile } from '../lib/plan.ts';
import { type Histogram, percentileCurve, percentileMs } from '../engine/histogram.ts';
import type { RunPlan } from '../engine/plan-run.ts';
import type { RunResult } from '../engine/run.ts';

export interface LatencySummary {
  readonly count: number;
  readonly p50?: number;
  readonly p95?: number;
  readonly p99?: number;
  readonly max?: number;
}

export interface SubscriberReport {
  readonly name: string;
  readonly handled: number;
  readonly deadLettered: number;
  readonly retried: number;
  /** Accepted by the broker, neither handled nor dead-lettered when the run ended. */
  readonly lag: number;
  readonly processing: LatencySummary;
  readonly endToEnd: LatencySummary;
  readonly processingCurve: readonly { percentile: number; ms: number }[];
  readonly endToEndCurve: readonly { percentile: number; ms: number }[];
}

export interface SecondPoint {
  readonly second: number;
  readonly sent: number;
  readonly failed: number;
  readonly dropped: number;
  readonly handled: number;
  readonly publishP50?: number;
  readonly publishP95?: number;
  readonly publishP99?: number;
  readonly endToEndP95?: number;
}

export interface ScenarioReport {
  readonly name: string;
  readonly service: string;
  readonly operation: string;
  readonly phase: Profile;
  readonly target: { readonly rate: number; readonly timeUnit: string; readonly perSecond: number };
  readonly durationMs: number;
  readonly plannedEvents: number;
  readonly notes: readonly string[];
  readonly publish: {
    readonly scheduled: number;
    readonly ok: number;
    readonly failed: number;
    readonly dropped: number;
    readonly interrupted: number;
    readonly errors: readonly string[];
    readonly latency: LatencySummary;
    readonly startLag: LatencySummary;
    readonly curve: readonly { percentile: number; ms: number }[];
  };
  readonly achievedPerSecond: number;
  readonly series: readonly SecondPoint[];
  readonly subscribers: readonly SubscriberReport[];
}

export interface ThresholdReport {
  readonly scenario: string;
  readonly operation: string;
  readonly phase: Profile;
  readonly kind: PlannedThreshold['kind'];
  readonly subscriber?: string;
  readonly description: string;
  readonly observed?: number;
  readonly samples: number;
  readonly samplesNeeded: number;
  readonly passed: boolean;
  readonly summary: string;
}

export interface RunReport {
  readonly runId: string;
  readonly startedAt: string;
  readonly transport: string;
  readonly brokers: readonly string[];
  readonly workers: number;
  readonly wallMs: number;
  readonly drained: boolean;
  readonly interrupted: boolean;
  readonly notes: readonly string[];
  readonly scenarios: readonly ScenarioReport[];
  readonly thresholds: readonly ThresholdReport[];
}

export interface LoadReport {
  readonly version: 1;
  readonly engine: 'node';
  readonly profile: Profile;
  readonly rateScale: number;
  readonly durationMs?: number;
  readonly brokers: string;
  readonly passed: boolean;
  readonly runs: readonly RunReport[];
}

const round = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * 1000) / 1000);

export function latencySummary(histogram: Histogram | undefined): LatencySummary {
  if (!histogram || histogram.totalCount === 0) return { count: 0 };
  return {
    count: histogram.totalCount,
    p50: round(percentileMs(histogram, 50)),
    p95: round(percentileMs(histogram, 95)),
    p99: round(percentileMs(histogram, 99)),
    max: round(histogram.maxValue / 1000),
  };
}

function runReport(plan: RunPlan, result: RunResult): RunReport {
  const { stats } = result;
  const scenarios = plan.scenarios.map((scenario, index): ScenarioReport => {
    const publish = stats.publish[index]!;
    const perSecond = (scenario.plan.rate * 1000) / scenario.plan.timeUnitMs;
    const series = [...(stats.series[index] ?? new Map()).entries()]
      .sort(([a], [b]) => a - b)
      .map(([second, f]) => ({
        second,
        sent: f.ok + f.failed,
        failed: f.failed,
        dropped: f.dropped,
        handled: f.handled,
        ...(f.publish
          ? {
              publishP50: round(percentileMs(f.publish, 50)),
              publishP95: round(percentileMs(f.publish, 95)),
              publishP99: round(percentileMs(f.publish, 99)),
            }
          : {}),
        ...(f.endToEnd ? { endToEndP95: round(percentileMs(f.endToEnd, 95)) } : {}),
      }));
    return {
      name: scenario.plan.name,
      service: scenario.service,
      operation: scenario.plan.operation,
      phase: scenario.plan.phase,
      target: { rate: scenario.plan.rate, timeUnit: scenario.plan.timeUnit, perSecond },
      durationMs: scenario.plan.durationMs,
      plannedEvents: scenario.plan.events,
      notes: scenario.plan.notes,
      publish: {
        scheduled: publish.scheduled,
        ok: publish.ok,
        failed: publish.failed,
        dropped: publish.dropped,
        interrupted: publish.interrupted,
        errors: publish.errors,
        latency: latencySummary(publish.latency),
        startLag: latencySummary(publish.startLag),
        curve: percentileCurve(publish.latency),
      },
      achievedPerSecond: (publish.ok * 1000) / scenario.plan.durationMs,
      series,
      subscribers: scenario.subscribers.map((name) => {
        const figures = stats.consume(name, index);
        return {
          name,
          handled: figures.handled,
          deadLettered: figures.deadLettered,
          retried: figures.retried,
          lag: stats.lag(name, index),
          processing: latencySummary(figures.processing),
          endToEnd: latencySummary(figures.endToEnd),
          processingCurve: percentileCurve(figures.processing),
          endToEndCurve: percentileCurve(figures.endToEnd),
        };
      }),
    };
  });
  return {
    runId: result.runId,
    startedAt: result.startedAt,
    transport: plan.transport,
    brokers: result.described,
    workers: result.workers,
    wallMs: result.wallMs,
    drained: result.drained,
    interrupted: result.interrupted,
    notes: [...plan.notes, ...plan.skipped],
    scenarios,
    thresholds: result.results.map((r) => ({
      scenario: r.threshold.scenario,
      operation: r.threshold.operation,
      phase: r.threshold.phase,
      kind: r.threshold.kind,
      ...(r.threshold.subscriber ? { subscriber: r.threshold.subscriber } : {}),
      description: r.threshold.description,
      ...(r.observed !== undefined ? { observed: r.observed } : {}),
      samples: r.samples,
      samplesNeeded: r.threshold.samplesNeeded,
      passed: r.passed,
      summary: r.summary,
    })),
  };
}

export function buildReport(input: {
  readonly profile: Profile;
  readonly settings: PlanSettings;
  readonly engine: 'node';
  readonly brokers: string;
  readonly runs: readonly { readonly plan: RunPlan; readonly result: RunResult }[];
}): LoadReport {
  const runs = input.runs.map(({ plan, result }) => runReport(plan, result));
  return {
    version: 1,
    engine: input.engine,
    profile: input.profile,
    rateScale: input.settings.rateScale,
    ...(input.settings.durationMs !== undefined ? { durationMs: input.settings.durationMs } : {}),
    brokers: input.brokers,
    passed: runs.every((r) => !r.interrupted && r.thresholds.every((t) => t.passed)),
    runs,
  };
}
