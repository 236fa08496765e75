/**
 * The processing side of a k6 run: setup() reads the consumers' Prometheus endpoints (CONSUMER_METRICS), and
 * teardown() reads them again once the consumers have caught up (or DRAIN has passed) and turns the difference
 * into two rates per subscription, which the thresholds judge: deliveries processed within the contract's
 * processingP95 (>= 95 % <=> p95 within it) and events handled out of those the run scheduled.
 */
import { sleep } from 'k6';
import http from 'k6/http';
import { Rate } from 'k6/metrics';
import { DELIVERED, PROCESSED_IN_TARGET } from './k6-options.ts';
import type { OperationTarget, PlannedScenario } from './plan.ts';
import { type ConsumerCounts, consumerCounts, difference, withinTarget } from './prometheus.ts';
import type { Settings } from './settings.ts';

const processedInTarget = new Rate(PROCESSED_IN_TARGET);
const delivered = new Rate(DELIVERED);

export type Baseline = Record<string, ConsumerCounts>;

function read(settings: Settings): Baseline {
  const texts = settings.consumerMetrics.map((url) => {
    const response = http.get(url, { tags: { name: 'consumer-metrics' } });
    if (response.status !== 200 || typeof response.body !== 'string') {
      throw new Error(`CONSUMER_METRICS: ${url} answered ${response.status}`);
    }
    return response.body;
  });
  return consumerCounts(texts);
}

export function processingSetup(settings: Settings): Baseline {
  return settings.consumerMetrics.length === 0 ? {} : read(settings);
}

/** Events each subscription should get: every scheduled event of every scenario whose channel reaches it. */
function expected(targets: readonly OperationTarget[], scenarios: readonly PlannedScenario[]) {
  const out = new Map<string, { key: string; events: number; processingP95?: number }>();
  for (const scenario of scenarios) {
    const target = targets.find((t) => t.exec === scenario.exec);
    for (const s of target?.subscribers ?? []) {
      const name = `${s.service}/${s.subscription}`;
      const entry = out.get(name) ?? { key: `${s.service}/${s.metricsTopic}`, events: 0 };
      entry.events += scenario.events;
      if (s.processingP95 !== undefined) entry.processingP95 = s.processingP95;
      out.set(name, entry);
    }
  }
  return out;
}

function addMany(rate: Rate, value: boolean, count: number, tags: Record<string, string>): void {
  for (let i = 0; i < count; i++) rate.add(value, tags);
}

export function processingTeardown(
  settings: Settings,
  targets: readonly OperationTarget[],
  scenarios: readonly PlannedScenario[],
  baseline: Baseline,
): void {
  if (settings.consumerMetrics.length === 0) return;
  const wanted = expected(targets, scenarios);
  const deadline = Date.now() + settings.drainMs;
  let now = read(settings);
  const behind = () =>
    [...wanted.values()].some((w) => difference(now[w.key], baseline[w.key]).processed < w.events);
  while (behind() && Date.now() < deadline) {
    sleep(1);
    now = read(settings);
  }
  for (const [subscription, w] of wanted) {
    const counts = difference(now[w.key], baseline[w.key]);
    const tags = { subscription };
    const handled = Math.min(w.events, Math.max(0, counts.processed));
    addMany(delivered, true, handled, tags);
    addMany(delivered, false, w.events - handled, tags);
    if (w.processingP95 !== undefined) {
      const within = withinTarget(counts, w.processingP95);
      addMany(processedInTarget, true, within, tags);
      addMany(processedInTarget, false, Math.max(0, counts.outcomes - within), tags);
    }
  }
}
