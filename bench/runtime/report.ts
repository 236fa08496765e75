/**
 * What every runtime benchmark script reports, and the command-line conventions they share:
 *   --rounds N   interleaved rounds per variant (default 3; medians are reported)
 *   --seconds S  length of one timed round (default differs per benchmark)
 *   --json       print the report as one JSON line (what bench/runtime/all.ts reads) instead of text
 */
import { parseArgs } from 'node:util';
import type { Percentiles } from '../lib/latency.ts';
import { type LoadSample, sampleLoad } from '../lib/machine.ts';
import { pairedCpuRatio, pairedRatio, type VariantSummary } from '../lib/rounds.ts';
import { round } from '../lib/stats.ts';

export interface Row {
  readonly variant: string;
  /** `baseline` rows are the raw client the runtime rows are compared with. */
  readonly role: 'runtime' | 'baseline';
  /** Median over rounds. */
  readonly eventsPerSecond: number;
  readonly perRound: readonly number[];
  /** Median CPU time of the benchmark process (the client) per event. */
  readonly cpuMicrosPerEvent?: number;
  readonly cpuMicrosPerRound?: readonly (number | null)[];
  /** Percentiles of one latency per `latencyOf` (a publish call, or one event), medians over rounds. */
  readonly latency?: Percentiles & { readonly of: string };
  /**
   * This row against its baseline (medians of per-round pairs): ratio = runtime / baseline events/s and
   * overheadPct = 1 - ratio; cpuRatio = runtime / baseline CPU µs per event of this process.
   */
  readonly vsBaseline?: {
    readonly baseline: string;
    readonly ratio: number;
    readonly overheadPct: number;
    readonly cpuRatio?: number;
  };
  readonly extra?: Readonly<Record<string, number | string>>;
}

export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

export interface BenchmarkReport {
  readonly name: string;
  readonly title: string;
  readonly settings: Readonly<Record<string, number | string>>;
  readonly load: { readonly before: LoadSample; readonly after: LoadSample };
  readonly rows: readonly Row[];
  readonly targets: readonly TargetResult[];
}

export interface CommonArgs {
  readonly rounds: number;
  readonly seconds: number;
  readonly json: boolean;
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

/** Parses the shared flags plus the benchmark's own string options (given with their defaults). */
export function parseCommon(defaultSeconds: number, own: Readonly<Record<string, string>> = {}): CommonArgs {
  const options: Record<string, { type: 'string' | 'boolean'; default?: string | boolean }> = {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: String(defaultSeconds) },
    json: { type: 'boolean', default: false },
  };
  for (const [name, value] of Object.entries(own)) options[name] = { type: 'string', default: value };
  const { values } = parseArgs({ options, allowPositionals: false });
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  return { rounds, seconds, json: values.json === true, values };
}

export function numberOption(args: CommonArgs, name: string): number {
  const value = Number(args.values[name]);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, got ${args.values[name]}`);
  return value;
}

export function row(
  summary: VariantSummary,
  role: Row['role'],
  latencyOf?: string,
  baseline?: VariantSummary,
  extra?: Row['extra'],
): Row {
  const ratio = baseline ? pairedRatio(summary, baseline) : undefined;
  const cpuRatio = baseline ? pairedCpuRatio(summary, baseline) : undefined;
  return {
    variant: summary.name,
    role,
    eventsPerSecond: summary.eventsPerSecond,
    perRound: summary.rounds.map((r) => Math.round(r.events / r.seconds)),
    ...(summary.cpuMicrosPerEvent !== undefined ? { cpuMicrosPerEvent: summary.cpuMicrosPerEvent } : {}),
    // Per round too: an A/B of two builds on a busy machine is read from the paired rounds, not the medians.
    ...(summary.cpuMicrosPerEvent !== undefined
      ? {
          cpuMicrosPerRound: summary.rounds.map((r) =>
            r.cpuMicros !== undefined && r.events > 0 ? round(r.cpuMicros / r.events, 2) : null,
          ),
        }
      : {}),
    ...(summary.latency && latencyOf ? { latency: { ...summary.latency, of: latencyOf } } : {}),
    ...(baseline && ratio !== undefined
      ? {
          vsBaseline: {
            baseline: baseline.name,
            ratio,
            overheadPct: round((1 - ratio) * 100, 1),
            ...(cpuRatio !== undefined ? { cpuRatio } : {}),
          },
        }
      : {}),
    ...(extra ? { extra } : {}),
  };
}

export function target(description: string, measured: string, pass: boolean): TargetResult {
  return { target: description, measured, pass };
}

/** Runs a benchmark body between two load samples and prints its report. */
export async function runBenchmark(
  args: CommonArgs,
  body: () => Promise<Omit<BenchmarkReport, 'load'>>,
): Promise<BenchmarkReport> {
  const before = sampleLoad();
  const partial = await body();
  const report: BenchmarkReport = { ...partial, load: { before, after: sampleLoad() } };
  if (args.json) console.log(JSON.stringify(report));
  else printReport(report);
  return report;
}

export function printReport(report: BenchmarkReport): void {
  const load = (s: LoadSample) => s.loadAverage.join(' ');
  const { before, after } = report.load;
  console.log(
    `\n${report.title}  (load average ${load(before)} -> ${load(after)}; ` +
      `CPU reference ${before.cpuReferenceMicros} -> ${after.cpuReferenceMicros} µs)`,
  );
  console.log(
    `settings: ${Object.entries(report.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );
  for (const r of report.rows) {
    const latency = r.latency
      ? `  p50/p95/p99 ${r.latency.p50Ms}/${r.latency.p95Ms}/${r.latency.p99Ms} ms per ${r.latency.of}`
      : '';
    const cpu = r.cpuMicrosPerEvent !== undefined ? `  ${r.cpuMicrosPerEvent} µs CPU/event` : '';
    const vs = r.vsBaseline
      ? `  x${r.vsBaseline.ratio} of baseline (overhead ${r.vsBaseline.overheadPct}%` +
        (r.vsBaseline.cpuRatio !== undefined ? `, CPU x${r.vsBaseline.cpuRatio}` : '') +
        ')'
      : '';
    const extra = r.extra
      ? `  ${Object.entries(r.extra)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`
      : '';
    console.log(
      `  ${r.variant.padEnd(58)} ${String(r.eventsPerSecond).padStart(8)} /s${cpu}${latency}${vs}${extra}`,
    );
  }
  for (const t of report.targets) console.log(`  [${t.pass ? 'PASS' : 'FAIL'}] ${t.target}: ${t.measured}`);
}
