/**
 * Contract SLA -> k6 scenarios and thresholds for one publish operation. Thresholds are scoped to each scenario
 * with k6's `scenario` tag, so one operation missing its target fails the run and names the operation, and the
 * steady and peak phases are judged apart.
 */
import type { Sla } from '../../model/types.ts';

export type ScenarioKind = 'steady' | 'peak' | 'smoke';

export interface PlannedScenario {
  readonly kind: ScenarioKind;
  /** `<exec>_<kind>`: k6 scenario names, and the value of the `scenario` tag. */
  readonly name: string;
  /** eventsPerHour for steady, peakPerSecond for peak. */
  readonly rate?: number;
}

/** Steady at `eventsPerHour`, peak at `peakPerSecond`; an operation with neither gets a short smoke run. */
export function planScenarios(exec: string, sla: Sla | undefined): PlannedScenario[] {
  const planned: PlannedScenario[] = [];
  if (sla?.eventsPerHour) planned.push({ kind: 'steady', name: `${exec}_steady`, rate: sla.eventsPerHour });
  if (sla?.peakPerSecond) planned.push({ kind: 'peak', name: `${exec}_peak`, rate: sla.peakPerSecond });
  return planned.length > 0 ? planned : [{ kind: 'smoke', name: `${exec}_smoke` }];
}

/** Rates without float noise: 1 - 0.999 is 0.0010000000000000009, the threshold must read 0.001. */
const clean = (value: number) => Number(value.toPrecision(12));

/** Thresholds of one scenario, keyed by the metric expression k6 expects. */
export function scenarioThresholds(
  scenario: PlannedScenario,
  sla: Sla | undefined,
): Record<string, string[]> {
  const tag = `{scenario:${scenario.name}}`;
  const thresholds: Record<string, string[]> = {};
  const latency = [
    ...(sla?.publishP95 !== undefined ? [`p(95)<${sla.publishP95}`] : []),
    ...(sla?.publishP99 !== undefined ? [`p(99)<${sla.publishP99}`] : []),
  ];
  if (latency.length > 0) thresholds[`http_req_duration${tag}`] = latency;
  const success = sla?.deliverySuccessRate;
  if (success !== undefined) {
    const failures = clean(1 - success);
    thresholds[`http_req_failed${tag}`] = [failures === 0 ? 'rate==0' : `rate<${failures}`];
    thresholds[`checks${tag}`] = [`rate>=${clean(success)}`];
  }
  // Dropped iterations mean k6 could not start publishes at the target rate: the peak was not sustained.
  if (scenario.kind === 'peak') thresholds[`dropped_iterations${tag}`] = ['count==0'];
  return thresholds;
}
