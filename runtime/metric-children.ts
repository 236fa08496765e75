/**
 * Labelled prom-client children for the per-event path. A child from `labels()` hashes and validates its labels
 * on every `inc()` and `observe()` (a string built and two loops per update, three updates per consumed event:
 * ~0.5–1 µs per event in the consumer's profile). These children find prom-client's own series entry once and
 * update it in place, so what prom-client reports is the same, number for number; whenever the entry is not the
 * one they found (first use, `reset()`, `remove()`), they go through prom-client's child and look again.
 *
 * They rely on prom-client keeping a series as `hashMap[hash]` = `{ value }` (counters) or `{ bucketValues, sum,
 * count }` (histograms, bucket keys being the upper bounds as strings); where a metric does not look like that
 * (another prom-client version, exemplars), prom-client's child is used as it is. metrics.test.ts compares the
 * output with plain prom-client children after the same updates.
 */
import type { Counter, Histogram } from 'prom-client';

interface Inc {
  inc(value?: number): void;
}
interface Observe {
  observe(value: number): void;
}

type Labels = Readonly<Record<string, string>>;

interface Series {
  readonly labels: Labels;
}

/** What the children read of a metric: its series by label hash. */
interface SeriesMap<S extends Series> {
  readonly hashMap: Record<string, S | undefined>;
  readonly enableExemplars?: boolean;
}

interface CounterSeries extends Series {
  value: number;
}

interface HistogramSeries extends Series {
  readonly bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

/** The series of `metric` holding exactly `labels`, with its hash. */
function findSeries<S extends Series>(metric: SeriesMap<S>, labels: Labels): [string, S] | undefined {
  const names = Object.keys(labels);
  for (const [hash, series] of Object.entries(metric.hashMap)) {
    if (series === undefined) continue;
    const own = series.labels;
    if (Object.keys(own).length === names.length && names.every((name) => own[name] === labels[name])) {
      return [hash, series];
    }
  }
  return undefined;
}

function looksLike(metric: unknown): metric is SeriesMap<Series> {
  const candidate = metric as Partial<SeriesMap<Series>>;
  return typeof candidate.hashMap === 'object' && candidate.hashMap !== null && !candidate.enableExemplars;
}

export function counterChild<L extends string>(counter: Counter<L>, labels: Labels): Inc {
  const plain: Inc = counter.labels(labels as never);
  if (!looksLike(counter)) return plain;
  const metric = counter as unknown as SeriesMap<CounterSeries>;
  let hash = '';
  let series: CounterSeries | undefined;
  return {
    inc(value?: number) {
      // prom-client's checks (a number, finite, not negative) for anything but a plain increment.
      if (series !== undefined && metric.hashMap[hash] === series && (value === undefined || value > 0)) {
        if (value === undefined) series.value += 1;
        else if (value !== Number.POSITIVE_INFINITY) series.value += value;
        else plain.inc(value);
        return;
      }
      plain.inc(value);
      const found = findSeries(metric, labels);
      if (found && typeof found[1].value === 'number') [hash, series] = found;
      else series = undefined;
    },
  };
}

export function histogramChild<L extends string>(histogram: Histogram<L>, labels: Labels): Observe {
  const plain: Observe = histogram.labels(labels as never);
  const upperBounds = (histogram as unknown as { upperBounds?: unknown }).upperBounds;
  if (!looksLike(histogram) || !Array.isArray(upperBounds)) return plain;
  if (!upperBounds.every((bound) => typeof bound === 'number')) return plain;
  const metric = histogram as unknown as SeriesMap<HistogramSeries>;
  const bounds: readonly number[] = [...upperBounds];
  // The keys prom-client gave the buckets (`acc[upperBound] = 0`): the bounds as strings, made once here.
  const keys = bounds.map(String);
  let hash = '';
  let series: HistogramSeries | undefined;
  return {
    observe(value: number) {
      if (series !== undefined && metric.hashMap[hash] === series && Number.isFinite(value)) {
        // prom-client's order: sum, count, then the first bucket whose bound holds the value (none above the last).
        series.sum += value;
        series.count += 1;
        for (let i = 0; i < bounds.length; i++) {
          if (value <= bounds[i]!) {
            // Every key was checked to be there when the series was found; a reset replaces the series.
            series.bucketValues[keys[i]!]! += 1;
            break;
          }
        }
        return;
      }
      plain.observe(value);
      const found = findSeries(metric, labels);
      const usable =
        found &&
        typeof found[1].sum === 'number' &&
        typeof found[1].count === 'number' &&
        keys.every((key) => typeof found[1].bucketValues?.[key] === 'number');
      if (usable) [hash, series] = found;
      else series = undefined;
    },
  };
}
