import { describe, expect, it } from 'vitest';
import type { Sla } from '../../model/types.ts';
import { planScenarios, scenarioThresholds } from './thresholds.ts';

describe('planScenarios', () => {
  it.each([
    [{ eventsPerHour: 5000 }, [['steady', 'op_steady', 5000]]],
    [
      { eventsPerHour: 5000, peakPerSecond: 50 },
      [
        ['steady', 'op_steady', 5000],
        ['peak', 'op_peak', 50],
      ],
    ],
    [{ peakPerSecond: 50 }, [['peak', 'op_peak', 50]]],
    [{ publishP99: 50 }, [['smoke', 'op_smoke', undefined]]],
    [{ eventsPerHour: 0 }, [['smoke', 'op_smoke', undefined]]],
    [undefined, [['smoke', 'op_smoke', undefined]]],
  ] as [Sla | undefined, unknown[]][])('%j -> %j', (sla, expected) => {
    expect(planScenarios('op', sla).map((s) => [s.kind, s.name, s.rate])).toEqual(expected);
  });
});

describe('scenarioThresholds', () => {
  const steady = { kind: 'steady', name: 'op_steady', rate: 1 } as const;
  it.each([
    [{ publishP95: 10 }, { 'http_req_duration{scenario:op_steady}': ['p(95)<10'] }],
    [
      { publishP95: 10, publishP99: 50 },
      { 'http_req_duration{scenario:op_steady}': ['p(95)<10', 'p(99)<50'] },
    ],
    [
      { deliverySuccessRate: 0.999 },
      {
        'http_req_failed{scenario:op_steady}': ['rate<0.001'],
        'checks{scenario:op_steady}': ['rate>=0.999'],
      },
    ],
    [
      { deliverySuccessRate: 0.95 },
      { 'http_req_failed{scenario:op_steady}': ['rate<0.05'], 'checks{scenario:op_steady}': ['rate>=0.95'] },
    ],
    [
      { deliverySuccessRate: 1 },
      { 'http_req_failed{scenario:op_steady}': ['rate==0'], 'checks{scenario:op_steady}': ['rate>=1'] },
    ],
    [{ processingP95: 100, eventsPerHour: 10 }, {}],
    [undefined, {}],
  ] as [Sla | undefined, Record<string, string[]>][])('%j -> %j', (sla, expected) => {
    expect(scenarioThresholds(steady, sla)).toEqual(expected);
  });

  it('requires the peak to start every iteration on time', () => {
    const peak = { kind: 'peak', name: 'op_peak', rate: 50 } as const;
    expect(scenarioThresholds(peak, { publishP95: 10 })).toEqual({
      'http_req_duration{scenario:op_peak}': ['p(95)<10'],
      'dropped_iterations{scenario:op_peak}': ['count==0'],
    });
  });
});
