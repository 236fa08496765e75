/**
 * The shared plan (plan.ts) rendered as k6 options: one constant-arrival-rate scenario per operation with every
 * VU pre-allocated (k6 drops an iteration that finds no free VU before it starts allocating another), and the
 * thresholds scoped to each scenario so a miss names the operation and the phase. The processing side
 * (processing p95, delivery) is judged in teardown from the consumers' Prometheus endpoints, when given.
 */
import type { ConstantArrivalRateScenario } from 'k6/options';
import type { PlannedScenario, PlannedThreshold } from './plan.ts';

export const PROCESSED_IN_TARGET = 'eventwire_processed_in_target';
export const DELIVERED = 'eventwire_delivered';

export function k6Scenario(scenario: PlannedScenario): ConstantArrivalRateScenario {
  return {
    executor: 'constant-arrival-rate',
    exec: scenario.exec,
    rate: scenario.rate,
    timeUnit: scenario.timeUnit,
    duration: scenario.duration,
    preAllocatedVUs: scenario.vus,
    maxVUs: scenario.vus,
    tags: { phase: scenario.phase, operation: scenario.operation },
  };
}

const clean = (value: number) => Number(value.toPrecision(12));

/** k6 threshold expressions, keyed by metric (with its tag filter). */
export function k6Thresholds(
  thresholds: readonly PlannedThreshold[],
  options: { readonly processing: boolean },
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (metric: string, rule: string) => {
    const rules = out[metric] ?? [];
    if (!rules.includes(rule)) rules.push(rule);
    out[metric] = rules;
  };
  for (const t of thresholds) {
    const scenario = `{scenario:${t.scenario}}`;
    switch (t.kind) {
      case 'publish-latency':
        add(`http_req_duration${scenario}`, `p(${t.percentile})<${t.limit}`);
        break;
      case 'publish-errors':
        add(`http_req_failed${scenario}`, `rate<=${t.limit}`);
        add(`checks${scenario}`, `rate>=${clean(1 - t.limit)}`);
        break;
      case 'dropped':
        add(`dropped_iterations${scenario}`, 'count==0');
        break;
      case 'processing':
        // Share of the subscription's deliveries processed within the target: p95 within it <=> share >= 95 %.
        if (options.processing)
          add(
            `${PROCESSED_IN_TARGET}{subscription:${t.subscriber}}`,
            `rate>=${clean((t.percentile ?? 95) / 100)}`,
          );
        break;
      case 'delivery':
        if (options.processing) add(`${DELIVERED}{subscription:${t.subscriber}}`, `rate>=${t.limit}`);
        break;
    }
  }
  return out;
}
