/**
 * k6's threshold expressions and their evaluation (metrics/thresholds_parser.go, thresholds.go, sink.go): the
 * `aggregation operator value` grammar, the aggregations each metric type offers, a Trend's percentiles by
 * k6's linear interpolation (d3-array's quantileSorted is the same R-7 definition), and k6's rule that a value
 * the sink does not have (a Rate without samples) passes.
 */
import { quantileSorted } from 'd3-array';
import type { MetricType, Sample } from './state.ts';

export const SUPPORTED: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};

const OPERATORS = ['<=', '<', '>=', '>', '===', '==', '!='] as const;
type Operator = (typeof OPERATORS)[number];

export interface ParsedThreshold {
  readonly source: string;
  readonly method: string;
  readonly percentile?: number;
  readonly operator: Operator;
  readonly value: number;
}

export function parseThreshold(source: string): ParsedThreshold {
  for (const operator of OPERATORS) {
    const at = source.indexOf(operator);
    if (at < 0) continue;
    const left = source.slice(0, at).trim();
    const right = source.slice(at + operator.length).trim();
    if (right === '') continue;
    const value = Number(right);
    if (!/^[0-9]+(\.[0-9]+)?$/.test(right) || !Number.isFinite(value)) {
      throw new Error(`failed parsing threshold expresion's "${source}" right hand side`);
    }
    if (['value', 'count', 'rate', 'avg', 'min', 'med', 'max'].includes(left)) {
      return { source, method: left, operator, value };
    }
    const p = /^p\((.*)\)$/.exec(left);
    const percentile = p ? Number(p[1]) : Number.NaN;
    if (!p || Number.isNaN(percentile) || percentile < 0 || percentile > 100) {
      throw new Error(`failed parsing threshold expression's "${source}" left hand side`);
    }
    return { source, method: 'p', percentile, operator, value };
  }
  throw new Error(`failed parsing threshold expression "${source}"; reason: malformed threshold expression`);
}

/** The aggregated values k6 would have for a metric's samples (keys as in Thresholds.Run). */
function sinked(
  type: MetricType,
  samples: readonly Sample[],
  testMs: number,
  wanted: readonly ParsedThreshold[],
) {
  const values = samples.map((s) => s.value);
  const out = new Map<string, number>();
  if (type === 'counter') {
    const count = values.reduce((a, b) => a + b, 0);
    out.set('count', count);
    if (testMs > 0) out.set('rate', count / (testMs / 1000));
  } else if (type === 'gauge') {
    if (values.length > 0) out.set('value', values[values.length - 1] as number);
  } else if (type === 'rate') {
    if (values.length > 0) out.set('rate', values.filter((v) => v !== 0).length / values.length);
  } else {
    const sorted = [...values].sort((a, b) => a - b);
    const quantile = (q: number) => (sorted.length === 0 ? 0 : (quantileSorted(sorted, q) ?? 0));
    out.set('min', sorted[0] ?? 0);
    out.set('max', sorted[sorted.length - 1] ?? 0);
    out.set('avg', sorted.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / sorted.length);
    out.set('med', quantile(0.5));
    for (const t of wanted)
      if (t.method === 'p') out.set(`p(${t.percentile})`, quantile((t.percentile ?? 0) / 100));
  }
  return out;
}

function holds(lhs: number, t: ParsedThreshold): boolean {
  switch (t.operator) {
    case '<':
      return lhs < t.value;
    case '<=':
      return lhs <= t.value;
    case '>':
      return lhs > t.value;
    case '>=':
      return lhs >= t.value;
    case '==':
    case '===':
      return lhs === t.value;
    case '!=':
      return lhs !== t.value;
  }
}

export interface ThresholdOutcome {
  readonly rule: string;
  readonly passed: boolean;
  readonly value?: number;
}

export function evaluateThresholds(
  thresholds: Readonly<Record<string, readonly (string | { threshold: string })[]>>,
  metrics: ReadonlyMap<string, MetricType>,
  samples: readonly Sample[],
  testMs: number,
  parseKey: (key: string) => { metric: string; tags: Record<string, string> },
): Record<string, ThresholdOutcome[]> {
  const out: Record<string, ThresholdOutcome[]> = {};
  for (const [key, rules] of Object.entries(thresholds)) {
    const { metric, tags } = parseKey(key);
    const type = metrics.get(metric) ?? 'trend';
    const matching = samples.filter(
      (s) => s.metric === metric && Object.entries(tags).every(([k, v]) => s.tags[k] === v),
    );
    const parsed = rules.map((rule) => parseThreshold(typeof rule === 'string' ? rule : rule.threshold));
    const values = sinked(type, matching, testMs, parsed);
    out[key] = parsed.map((t) => {
      const sinkKey = t.method === 'p' ? `p(${t.percentile})` : t.method;
      const value = values.get(sinkKey);
      return {
        rule: t.source,
        passed: value === undefined ? true : holds(value, t),
        ...(value !== undefined ? { value } : {}),
      };
    });
  }
  return out;
}
