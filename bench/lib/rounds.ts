/**
 * Side-by-side measurement on a shared machine: variants run in interleaved rounds (A B, B A, A B, ...) so a
 * load spike from a neighbour hits every variant about equally, and results are medians over rounds.
 * A runtime-vs-baseline ratio is the median of the per-round ratios: each compares two runs seconds apart.
 */
import type { Percentiles } from './latency.ts';
import { quantile, round } from './stats.ts';

export interface RoundResult {
  /** Events completed in the round. */
  readonly events: number;
  readonly seconds: number;
  readonly latency?: Percentiles;
  /** CPU time (user + system) this process spent in the round. */
  readonly cpuMicros?: number;
  /** Anything the variant wants to keep (checks, extra figures). */
  readonly extra?: Readonly<Record<string, number>>;
}

export interface Variant {
  readonly name: string;
  /** Runs one measurement round (index -1: the unreported warm-up); must clean up after itself. */
  readonly round: (index: number) => Promise<RoundResult>;
}

/** Length of a round: warm-up rounds (index -1) are short, they only load code and open connections. */
export function roundSeconds(seconds: number, index: number): number {
  return index < 0 ? Math.min(0.3, seconds) : seconds;
}

export interface VariantSummary {
  readonly name: string;
  readonly rounds: readonly RoundResult[];
  /** Median over rounds of events per second. */
  readonly eventsPerSecond: number;
  /** Median over rounds of this process's CPU time per event. */
  readonly cpuMicrosPerEvent?: number;
  readonly latency?: Percentiles;
}

export async function interleave(rounds: number, variants: readonly Variant[]): Promise<VariantSummary[]> {
  // One short unreported round each first, so no variant pays for JIT compilation in its first measured round.
  for (const variant of variants) await variant.round(-1);
  const results = variants.map(() => [] as RoundResult[]);
  for (let r = 0; r < rounds; r++) {
    const order = variants.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) results[i]!.push(await variants[i]!.round(r));
  }
  return variants.map((variant, i) => summarizeRounds(variant.name, results[i]!));
}

export function summarizeRounds(name: string, rounds: readonly RoundResult[]): VariantSummary {
  const rates = rounds.map(rateOf);
  const latencies = rounds.flatMap((r) => (r.latency ? [r.latency] : []));
  const latency =
    latencies.length === 0
      ? undefined
      : {
          samples: latencies.reduce((sum, l) => sum + l.samples, 0),
          p50Ms: medianOf(
            latencies.map((l) => l.p50Ms),
            2,
          ),
          p95Ms: medianOf(
            latencies.map((l) => l.p95Ms),
            2,
          ),
          p99Ms: medianOf(
            latencies.map((l) => l.p99Ms),
            2,
          ),
          maxMs: Math.max(...latencies.map((l) => l.maxMs)),
        };
  const cpu = rounds.flatMap((r) =>
    r.cpuMicros !== undefined && r.events > 0 ? [r.cpuMicros / r.events] : [],
  );
  return {
    name,
    rounds,
    eventsPerSecond: Math.round(quantile(rates, 0.5)),
    ...(cpu.length > 0 ? { cpuMicrosPerEvent: medianOf(cpu, 2) } : {}),
    ...(latency ? { latency } : {}),
  };
}

/** Median over rounds of subject/baseline events per second, pairing round i of each. */
export function pairedRatio(subject: VariantSummary, baseline: VariantSummary): number {
  const ratios = subject.rounds.map((r, i) => {
    const base = baseline.rounds[i];
    return base ? rateOf(r) / rateOf(base) : Number.NaN;
  });
  return round(quantile(ratios, 0.5), 3);
}

/** Median over rounds of subject/baseline CPU time per event (> 1: the subject costs more), when both have it. */
export function pairedCpuRatio(subject: VariantSummary, baseline: VariantSummary): number | undefined {
  const ratios = subject.rounds.flatMap((r, i) => {
    const base = baseline.rounds[i];
    if (
      !base ||
      r.cpuMicros === undefined ||
      base.cpuMicros === undefined ||
      r.events === 0 ||
      base.events === 0
    )
      return [];
    return [r.cpuMicros / r.events / (base.cpuMicros / base.events)];
  });
  return ratios.length === 0 ? undefined : round(quantile(ratios, 0.5), 3);
}

export function rateOf(result: RoundResult): number {
  return result.events / result.seconds;
}

export function medianOf(values: readonly number[], digits = 1): number {
  return round(quantile(values, 0.5), digits);
}

/** Median over rounds of `extra[key]` divided by the round's events (e.g. server CPU µs per event). */
export function medianPerEvent(summary: VariantSummary, key: string): number | undefined {
  const values = summary.rounds.flatMap((r) => {
    const value = r.extra?.[key];
    return value !== undefined && r.events > 0 ? [value / r.events] : [];
  });
  return values.length === 0 ? undefined : medianOf(values, 2);
}
