/**
 * Judges the plan's thresholds on what a run measured. Each result names its operation, phase and (for the
 * consuming side) subscription, with the observed value and how many events it rests on.
 */
import type { PlannedThreshold, ThresholdKind } from '../lib/plan.ts';
import { percentileMs } from './histogram.ts';
import type { RunStats } from './stats.ts';

export interface ThresholdResult {
  readonly threshold: PlannedThreshold;
  /** undefined when nothing was measured (then the threshold fails, except for publish errors and drops). */
  readonly observed: number | undefined;
  readonly samples: number;
  readonly passed: boolean;
  /** `p95 = 12.4 ms over 417 events`. */
  readonly summary: string;
}

const compare = (value: number, threshold: PlannedThreshold): boolean => {
  switch (threshold.comparator) {
    case '<':
      return value < threshold.limit;
    case '<=':
      return value <= threshold.limit;
    case '>=':
      return value >= threshold.limit;
    case '==':
      return value === threshold.limit;
  }
};

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
const percent = (value: number) => `${Number((value * 100).toFixed(3))} %`;

type Observation = { readonly observed: number | undefined; readonly samples: number; readonly text: string };

const OBSERVE: Record<ThresholdKind, (stats: RunStats, index: number, t: PlannedThreshold) => Observation> = {
  'publish-latency': (stats, index, t) => {
    const histogram = stats.publish[index]!.latency;
    const value = percentileMs(histogram, t.percentile ?? 95);
    const samples = histogram.totalCount;
    return {
      observed: value,
      samples,
      text: value === undefined ? 'no publish succeeded' : `p${t.percentile} = ${ms(value)}`,
    };
  },
  'publish-errors': (stats, index) => {
    const { ok, failed } = stats.publish[index]!;
    const samples = ok + failed;
    const value = samples === 0 ? undefined : failed / samples;
    return {
      observed: value,
      samples,
      text: value === undefined ? 'nothing was sent' : `${failed} failed = ${percent(value)}`,
    };
  },
  dropped: (stats, index) => {
    const { dropped, scheduled } = stats.publish[index]!;
    return { observed: dropped, samples: scheduled, text: `${dropped} dropped` };
  },
  processing: (stats, index, t) => {
    const histogram = stats.consume(t.subscriber ?? '', index).processing;
    const value = percentileMs(histogram, t.percentile ?? 95);
    return {
      observed: value,
      samples: histogram.totalCount,
      text: value === undefined ? 'no event was processed' : `p${t.percentile} = ${ms(value)}`,
    };
  },
  delivery: (stats, index, t) => {
    const accepted = stats.publish[index]!.ok;
    const figures = stats.consume(t.subscriber ?? '', index);
    const value = accepted === 0 ? undefined : Math.min(1, figures.handled / accepted);
    return {
      observed: value,
      samples: accepted,
      text:
        value === undefined
          ? 'nothing was published'
          : `${figures.handled} of ${accepted} handled = ${percent(value)}` +
            (figures.deadLettered > 0 ? `, ${figures.deadLettered} dead-lettered` : ''),
    };
  },
};

/** Kinds that hold when there was nothing to measure (no attempts: no errors, no drops). */
const VACUOUS: ReadonlySet<ThresholdKind> = new Set(['publish-errors', 'dropped']);

export function evaluate(
  thresholds: readonly PlannedThreshold[],
  scenarioIndex: ReadonlyMap<string, number>,
  stats: RunStats,
): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const index = scenarioIndex.get(threshold.scenario);
    if (index === undefined) throw new Error(`no scenario ${threshold.scenario}`);
    const { observed, samples, text } = OBSERVE[threshold.kind](stats, index, threshold);
    const passed = observed === undefined ? VACUOUS.has(threshold.kind) : compare(observed, threshold);
    return { threshold, observed, samples, passed, summary: `${text} over ${samples} events` };
  });
}
