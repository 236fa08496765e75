import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from './latency.ts';
import { interleave, pairedRatio, type RoundResult } from './rounds.ts';

const result = (events: number, seconds = 1): RoundResult => ({ events, seconds });

describe('interleaved rounds', () => {
  it('warms every variant up once, then alternates the order of the variants each round', async () => {
    const calls: string[] = [];
    const variant = (name: string) => ({
      name,
      round: async (index: number) => {
        calls.push(`${name}${index}`);
        return result(1);
      },
    });
    await interleave(3, [variant('a'), variant('b')]);
    expect(calls).toEqual(['a-1', 'b-1', 'a0', 'b0', 'b1', 'a1', 'a2', 'b2']);
  });

  it('reports medians over rounds and the median of per-round ratios', async () => {
    const rates = { raw: [100, 50, 200], runtime: [90, 40, 150] };
    const variant = (name: 'raw' | 'runtime') => ({
      name,
      round: async (index: number) => result(index < 0 ? 1 : rates[name][index]!),
    });
    const [raw, runtime] = await interleave(3, [variant('raw'), variant('runtime')]);
    expect(raw!.eventsPerSecond).toBe(100);
    expect(runtime!.eventsPerSecond).toBe(90);
    // Per-round ratios 0.9, 0.8, 0.75: the pairing cancels the load swing between rounds.
    expect(pairedRatio(runtime!, raw!)).toBe(0.8);
  });
});

describe('latency recorder', () => {
  it('grows past its initial size and reports nearest-rank percentiles', () => {
    const recorder = new LatencyRecorder(16);
    for (let ms = 100; ms >= 1; ms--) recorder.record(ms);
    expect(recorder.percentiles()).toEqual({ samples: 100, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100 });
  });
});
