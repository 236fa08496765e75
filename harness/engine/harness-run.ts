/**
 * A whole `eventwire test` invocation: every suite on one broker mode, within an overall time budget, and the
 * report every output format is rendered from. The CLI and the library both go through here.
 */
import {
  ALL_FAULTS,
  addCounts,
  runSuite,
  type SuiteProgress,
  type SuiteResult,
  ZERO_COUNTS,
} from './suite.ts';
import type { BrokerMode, Counts, FaultKind, HarnessBackend, StartedBrokers, SuiteTarget } from './types.ts';

export interface HarnessOptions {
  readonly mode: BrokerMode;
  readonly faults: ReadonlySet<FaultKind>;
  /** fast-check runs per suite. */
  readonly runs: number;
  readonly seed: number;
  readonly path?: string;
  /** The whole invocation's time budget; each suite gets an even share of what is left. */
  readonly budgetMs?: number;
  readonly timeScale: number;
  readonly variant?: string;
  readonly handlersModule?: string;
  /** The transport every service was run on instead of its contract's (`--transport`). */
  readonly transport?: string;
  readonly onProgress?: (progress: HarnessProgress) => void;
}

export interface HarnessProgress {
  readonly suite: number;
  readonly suites: number;
  readonly current: SuiteProgress;
  readonly runsDone: number;
  readonly faults: Readonly<Partial<Record<FaultKind, number>>>;
  /** Milliseconds left in the budget, if there is one. */
  readonly budgetLeftMs?: number;
}

export interface HarnessReport {
  readonly ok: boolean;
  readonly mode: BrokerMode;
  readonly seed: number;
  readonly faults: readonly FaultKind[];
  readonly runsPerSuite: number;
  readonly timeScale: number;
  readonly variant?: string;
  readonly handlersModule?: string;
  readonly transport?: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly totals: Counts;
  readonly suites: readonly SuiteResult[];
}

export async function runHarness(
  backend: HarnessBackend,
  brokers: StartedBrokers,
  targets: readonly SuiteTarget[],
  options: HarnessOptions,
): Promise<HarnessReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const deadline = options.budgetMs !== undefined ? started + options.budgetMs : undefined;
  const suites: SuiteResult[] = [];
  let runsDone = 0;
  const faults: Partial<Record<FaultKind, number>> = {};
  for (const [index, target] of targets.entries()) {
    const left = deadline !== undefined ? Math.max(1, deadline - performance.now()) : undefined;
    const share = left !== undefined ? left / (targets.length - index) : undefined;
    const before = { ...faults };
    const result = await runSuite(backend, brokers, target, {
      faults: options.faults,
      runs: options.runs,
      seed: options.seed,
      timeScale: options.timeScale,
      ...(options.path !== undefined ? { path: options.path } : {}),
      ...(share !== undefined ? { budgetMs: share } : {}),
      ...(options.variant !== undefined ? { variant: options.variant } : {}),
      onProgress: (current) => {
        const merged = { ...before };
        for (const [fault, times] of Object.entries(current.faults) as [FaultKind, number][])
          merged[fault] = (merged[fault] ?? 0) + times;
        options.onProgress?.({
          suite: index + 1,
          suites: targets.length,
          current,
          runsDone: runsDone + current.runs,
          faults: merged,
          ...(deadline !== undefined ? { budgetLeftMs: Math.max(0, deadline - performance.now()) } : {}),
        });
      },
    });
    runsDone += result.runs;
    for (const row of result.coverage)
      if (row.times > 0) faults[row.fault] = (faults[row.fault] ?? 0) + row.times;
    suites.push(result);
  }
  return {
    ok: suites.every((suite) => suite.ok),
    mode: options.mode,
    seed: options.seed,
    faults: [...options.faults],
    runsPerSuite: options.runs,
    timeScale: options.timeScale,
    ...(options.variant !== undefined ? { variant: options.variant } : {}),
    ...(options.handlersModule !== undefined ? { handlersModule: options.handlersModule } : {}),
    ...(options.transport !== undefined ? { transport: options.transport } : {}),
    startedAt,
    durationMs: performance.now() - started,
    totals: suites.reduce((sum, suite) => addCounts(sum, suite.counts), ZERO_COUNTS),
    suites,
  };
}

/** The one command line that replays a failed suite exactly. */
export function replayCommand(report: HarnessReport, suite: SuiteResult): string {
  const parts = [
    'npx eventwire test',
    `${suite.target.service}/${suite.target.operation}`,
    `--brokers ${report.mode}`,
  ];
  // The schedule generator depends on the fault kinds: the replay asks for the same ones (all is the default).
  if (report.faults.length < ALL_FAULTS.length) parts.push(`--faults ${report.faults.join(',')}`);
  parts.push(`--seed ${suite.seed}`);
  if (suite.path !== undefined) parts.push(`--path ${suite.path}`);
  if (report.handlersModule !== undefined) parts.push(`--handlers ${report.handlersModule}`);
  if (report.variant !== undefined) parts.push(`--variant ${report.variant}`);
  if (report.transport !== undefined) parts.push(`--transport ${report.transport}`);
  if (report.timeScale !== 1) parts.push(`--time-scale ${report.timeScale}`);
  return parts.join(' ');
}
