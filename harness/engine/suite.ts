/**
 * One suite: property-based runs of generated schedules against one receive operation, on one broker mode.
 * fast-check generates the schedules, shrinks a failing one to a minimal schedule, and prints the seed and path
 * that replay it; the checker judges every run; the coverage gate fails a suite in which a fault kind it asked
 * for never actually happened. The first runs force one applicable fault kind each (coverage.ts), so a suite of
 * at least as many runs as kinds covers them all; with fewer, the kinds left without a run are reported.
 */
import fc from 'fast-check';
import { checkRun } from './check/index.ts';
import { ReplayPathError } from './errors.ts';
import { ALL_FAULTS } from './types.ts';
import { planOf } from './plan.ts';
import { runPlan } from './run.ts';
import { CoverageDirectedProperty, forcedKinds } from './coverage.ts';
import { type Intent, inapplicableReason, normalize, type ScheduleShape } from './schedule.ts';
import { scheduleText } from './steps.ts';
import type {
  CheckResult,
  Counts,
  ExcuseKind,
  FaultKind,
  HandlerDepsOption,
  HarnessBackend,
  HistoryEvent,
  Quiescence,
  RunPlan,
  StartedBrokers,
  Step,
  SuiteTarget,
  Violation,
} from './types.ts';

export interface SuiteRunOptions {
  /** The fault kinds schedules may contain; each must happen at least once (coverage gate). */
  readonly faults: ReadonlySet<FaultKind>;
  readonly runs: number;
  readonly seed: number;
  /** fast-check's path of a counterexample: replays exactly that run (and shrinks no further). */
  readonly path?: string;
  /** Stop generating new runs after this long (a suite with fewer runs is reported as such). */
  readonly budgetMs?: number;
  readonly timeScale?: number;
  /** A broken runtime from the catalogue, instead of the correct one. */
  readonly variant?: string;
  readonly handlerDeps?: HandlerDepsOption;
  /** Idempotency off: duplicates are counted, not failures (default on). */
  readonly idempotency?: boolean;
  readonly maxEvents?: number;
  readonly maxIntents?: number;
  /** Called after every run (library users: assertions on their own effects; throw to fail the run). */
  readonly afterRun?: (run: CompletedRun) => void | Promise<void>;
  readonly onProgress?: (progress: SuiteProgress) => void;
}

export interface CompletedRun {
  readonly target: SuiteTarget;
  readonly plan: RunPlan;
  readonly history: readonly HistoryEvent[];
  readonly quiescence: Quiescence;
  readonly result: CheckResult;
}

export interface SuiteProgress {
  readonly target: SuiteTarget;
  readonly runs: number;
  readonly faults: Readonly<Partial<Record<FaultKind, number>>>;
  readonly shrinking: boolean;
}

export interface Counterexample {
  readonly steps: readonly Step[];
  /** The steps on one line, ` · ` between them. */
  readonly text: string;
  readonly violations: readonly Violation[];
  readonly history: readonly HistoryEvent[];
  readonly counts: Counts;
  /** A thrown error instead of broken invariants (a handler module that cannot start, say). */
  readonly error?: string;
}

export interface FaultCoverage {
  readonly fault: FaultKind;
  /** Asked for (`--faults`), supported by the broker mode, and able to happen on this operation. */
  readonly requested: boolean;
  /** Asked for and supported, but it can never happen on this operation: why (not requested, then). */
  readonly inapplicable?: string;
  /** Runs of the search (not of shrinking) in which the fault happened, and how often in all. */
  readonly runs: number;
  readonly times: number;
}

/** Dead letters the faults explained in the suite's runs, per kind of excuse, with the first explanation seen. */
export interface ExcusedSummary {
  readonly kind: ExcuseKind;
  /** Dead letters excused so, over the search's runs. */
  readonly count: number;
  readonly example: string;
}

export interface SuiteResult {
  readonly target: SuiteTarget;
  readonly ok: boolean;
  /** Runs of the search phase. */
  readonly runs: number;
  readonly requestedRuns: number;
  readonly seed: number;
  readonly path?: string;
  readonly shrinks: number;
  readonly interrupted: boolean;
  readonly durationMs: number;
  readonly counts: Counts;
  readonly coverage: readonly FaultCoverage[];
  /** Requested fault kinds that never happened although a run forced them: the suite fails on them. */
  readonly uncovered: readonly FaultKind[];
  /**
   * Requested kinds that never happened and got no forced run because the suite ran fewer runs than there are
   * kinds (`needed`): reported, not failed.
   */
  readonly tooFewRuns?: { readonly kinds: readonly FaultKind[]; readonly needed: number };
  readonly excused: readonly ExcusedSummary[];
  readonly failure?: Counterexample;
}

export { ALL_FAULTS } from './types.ts';

export const ZERO_COUNTS: Counts = {
  attempted: 0,
  confirmed: 0,
  delivered: 0,
  handled: 0,
  lost: 0,
  duplicated: 0,
  unexplainedDuplicates: 0,
  unexpected: 0,
  recovered: 0,
  deadLettered: 0,
  outOfOrder: 0,
  excused: 0,
};

export function addCounts(a: Counts, b: Counts): Counts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof Counts)[]) sum[key] += b[key];
  return sum;
}

export async function runSuite(
  backend: HarnessBackend,
  brokers: StartedBrokers,
  target: SuiteTarget,
  options: SuiteRunOptions,
): Promise<SuiteResult> {
  const started = performance.now();
  const timeScale = options.timeScale ?? 1;
  await using session = await backend.openSuite(target, brokers, {
    timeScale,
    ...(options.variant !== undefined ? { variant: options.variant } : {}),
    ...(options.handlerDeps ? { handlerDeps: options.handlerDeps } : {}),
  });
  const faults = new Set([...options.faults].filter((fault) => session.supports.has(fault)));
  const shape: ScheduleShape = {
    spec: target.spec,
    faults,
    payloads: target.payloads.length,
    invalidPayloads: target.invalidPayloads.length,
    ...(options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {}),
    ...(options.maxIntents !== undefined ? { maxIntents: options.maxIntents } : {}),
  };
  let runs = 0;
  let shrinking = false;
  let counts = ZERO_COUNTS;
  const happened = new Map<FaultKind, { runs: number; times: number }>();
  const excused = new Map<ExcuseKind, { count: number; example: string }>();
  let failure: Counterexample | undefined;
  // Runs 0..K-1 each force one applicable fault kind (coverage.ts), so K runs cover every kind.
  const forced = forcedKinds(shape);
  const property = new CoverageDirectedProperty(shape, forced, async (intents) => {
    const steps = normalize(intents, shape);
    const plan = planOf(target, steps, `${target.service}-${target.operation}-${runs}`, timeScale);
    let completed: CompletedRun | undefined;
    try {
      await using driver = await session.startRun(plan);
      const quiescence = await runPlan(driver, plan);
      const history = [...driver.history()];
      const result = checkRun(target, plan, history, quiescence, {
        ...(options.idempotency !== undefined ? { idempotency: options.idempotency } : {}),
      });
      completed = { target, plan, history, quiescence, result };
      if (!shrinking) {
        runs++;
        counts = addCounts(counts, result.counts);
        for (const [fault, times] of Object.entries(result.faults) as [FaultKind, number][]) {
          const seen = happened.get(fault) ?? { runs: 0, times: 0 };
          happened.set(fault, { runs: seen.runs + 1, times: seen.times + times });
        }
        for (const excuse of result.excused) {
          const seen = excused.get(excuse.kind);
          excused.set(excuse.kind, {
            count: (seen?.count ?? 0) + 1,
            example: seen?.example ?? excuse.explanation,
          });
        }
      }
      await options.afterRun?.(completed);
    } catch (error) {
      shrinking = true;
      failure = {
        steps,
        text: scheduleText(steps),
        violations: completed?.result.violations ?? [],
        history: completed?.history ?? [],
        counts: completed?.result.counts ?? ZERO_COUNTS,
        error: error instanceof Error ? error.message : String(error),
      };
      throw error;
    } finally {
      options.onProgress?.({
        target,
        runs,
        faults: Object.fromEntries([...happened].map(([k, v]) => [k, v.times])),
        shrinking,
      });
    }
    if (!completed.result.ok) {
      shrinking = true;
      failure = {
        steps,
        text: scheduleText(steps),
        violations: completed.result.violations,
        history: completed.history,
        counts: completed.result.counts,
      };
      return false;
    }
    return true;
  });
  const details = await checkWithPath(property, target, options);
  const coverage: FaultCoverage[] = ALL_FAULTS.map((fault) => {
    const reason = faults.has(fault) ? inapplicableReason(fault, shape) : undefined;
    return {
      fault,
      requested: forced.includes(fault),
      runs: happened.get(fault)?.runs ?? 0,
      times: happened.get(fault)?.times ?? 0,
      ...(reason !== undefined ? { inapplicable: reason } : {}),
    };
  });
  const missing = coverage.filter((row) => row.requested && row.runs === 0).map((row) => row.fault);
  // A kind whose forced run never came (fewer runs than kinds, or the budget ran out) is said, not failed: with
  // so few runs its absence is luck, not a finding. One that had its run and still never happened fails.
  const tooFewRuns = missing.filter((fault) => forced.indexOf(fault) >= runs);
  // Replaying one path runs one schedule: the gate would fail every fault that schedule does not contain.
  const uncovered =
    details.failed || options.path !== undefined
      ? []
      : missing.filter((fault) => !tooFewRuns.includes(fault));
  return {
    target,
    ok: !details.failed && uncovered.length === 0,
    runs,
    requestedRuns: options.runs,
    seed: details.seed,
    ...(details.failed && details.counterexamplePath ? { path: details.counterexamplePath } : {}),
    shrinks: details.numShrinks,
    interrupted: details.interrupted,
    durationMs: performance.now() - started,
    counts,
    coverage,
    uncovered,
    ...(options.path === undefined && !details.failed && tooFewRuns.length > 0
      ? { tooFewRuns: { kinds: tooFewRuns, needed: forced.length } }
      : {}),
    excused: [...excused].map(([kind, { count, example }]) => ({ kind, count, example })),
    ...(details.failed && failure ? { failure } : {}),
  };
}

/** fast-check's run, with a `--path` it cannot walk said as what it is (exit 2 in the CLI). */
async function checkWithPath(
  property: CoverageDirectedProperty,
  target: SuiteTarget,
  options: SuiteRunOptions,
): Promise<fc.RunDetails<[Intent[]]>> {
  try {
    return await fc.check(property, {
      numRuns: options.runs,
      seed: options.seed,
      ...(options.path !== undefined ? { path: options.path } : {}),
      ...(options.budgetMs !== undefined ? { interruptAfterTimeLimit: Math.max(1, options.budgetMs) } : {}),
      markInterruptAsFailure: false,
    });
  } catch (error) {
    // fast-check walks the path before the first run (synchronously, in fact): nothing ran yet.
    if (options.path !== undefined && error instanceof Error && /Unable to replay/.test(error.message)) {
      throw new ReplayPathError(
        `--path ${options.path} names no run of ${target.service}/${target.operation} with seed ${options.seed}: ` +
          'a path replays only with the suite, --seed, --faults and --variant of the replay line that printed it',
      );
    }
    throw error;
  }
}
