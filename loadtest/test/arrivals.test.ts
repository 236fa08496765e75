import { describe, expect, it } from 'vitest';
import { constantArrivalCount, constantArrivals, constantPhaseMs } from '../engine/arrivals.ts';

describe('constant-rate phases of a run with several scenarios', () => {
  const schedule = { rate: 5, timeUnitMs: 1_000, durationMs: 20_000 };

  it('spreads the scenarios evenly over one period, the first at 0', () => {
    const phases = Array.from({ length: 4 }, (_, i) => constantPhaseMs(schedule, i, 4));
    expect(phases).toEqual([0, 50, 100, 150]);
  });

  it('keeps each scenario at its rate and arrival count: due times only move by less than a period', () => {
    for (let i = 0; i < 7; i++) {
      const phase = constantPhaseMs(schedule, i, 7);
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThan(200);
      const due = [...constantArrivals(schedule)].map((offset) => offset + phase);
      expect(due).toHaveLength(constantArrivalCount(schedule));
      expect(due[1]! - due[0]!).toBeCloseTo(200);
    }
  });

  it('no scenarios due together: seven order scenarios at 5/s have seven distinct start instants', () => {
    const starts = new Set(Array.from({ length: 7 }, (_, i) => constantPhaseMs(schedule, i, 7).toFixed(3)));
    expect(starts.size).toBe(7);
  });

  it('a lone scenario or a zero rate has no phase', () => {
    expect(constantPhaseMs(schedule, 0, 1)).toBe(0);
    expect(constantPhaseMs({ ...schedule, rate: 0 }, 3, 7)).toBe(0);
  });
});
