/** Order statistics over repeated measurements; benchmarks report medians and tails, never a single run. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export interface Summary {
  readonly runs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
  /** Median user + system CPU time of the process, when measured. */
  readonly cpuMedianMs?: number;
}

export function summarize(samples: readonly number[], cpu: readonly number[] = []): Summary {
  return {
    runs: samples.length,
    medianMs: round(quantile(samples, 0.5)),
    p95Ms: round(quantile(samples, 0.95)),
    minMs: round(Math.min(...samples)),
    ...(cpu.length > 0 ? { cpuMedianMs: round(quantile(cpu, 0.5)) } : {}),
  };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
