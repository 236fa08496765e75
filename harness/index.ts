/**
 * `eventwire/harness`: the engine of `eventwire test` as a library, for a team's own test files. The same
 * generated schedules, the same checker, the same shrinking and replay; plus the team's own assertions on its
 * effects after every run (a read-back of its database), which fail the run and shrink like any invariant.
 *
 *   const result = await testSubscription({ service: 'order', operation: 'onCartCheckedOut', runs: 200 });
 *   assertHolds(result);
 *
 * See harness/README.md ("The library").
 */
import { resolve } from 'node:path';
import { formatDiagnostics, loadModel } from '../generators/model/index.ts';
import { loadMode } from './brokers.ts';
import { humanReport } from './report/human.ts';
import { replayCommand, type HarnessReport } from './engine/harness-run.ts';
import { loadServiceModules } from './engine/service-modules.ts';
import { ALL_FAULTS, type CompletedRun, runSuite, type SuiteResult } from './engine/suite.ts';
import type { BrokerKind, BrokerMode, FaultKind, HandlerDepsOption } from './engine/types.ts';
import { loadTargets } from './targets/load.ts';

export type * from './engine/types.ts';
export { BrokerUnavailableError, ModeUnavailableError } from './engine/errors.ts';
export { type HarnessReport, replayCommand, runHarness } from './engine/harness-run.ts';
export { checkRun } from './engine/check/index.ts';
export { planOf } from './engine/plan.ts';
export { runPlan } from './engine/run.ts';
export { intentsArbitrary, normalize } from './engine/schedule.ts';
export { scheduleText, stepText } from './engine/steps.ts';
export { ALL_FAULTS, type CompletedRun, runSuite, type SuiteResult } from './engine/suite.ts';
export { CATALOGUE } from './catalogue/index.ts';
export { type RunDatabase, runDatabase } from './deps/database.ts';
export { loadMode } from './brokers.ts';
export { loadTargets } from './targets/load.ts';
export { humanReport } from './report/human.ts';
export { jsonReport } from './report/json.ts';
export { junitReport } from './report/junit.ts';
export { htmlReport } from './report/html.ts';

export interface TestSubscriptionOptions {
  readonly service: string;
  /** operationId of the receive operation. */
  readonly operation: string;
  /** Project root (default: the working directory); contracts in `asyncapi/`, code in `generated/`. */
  readonly root?: string;
  readonly contracts?: string;
  readonly generated?: string;
  /** The handlers module (default `generated/<service>/handlers.ts`). */
  readonly handlers?: string;
  readonly brokers?: BrokerMode;
  readonly faults?: readonly FaultKind[];
  readonly runs?: number;
  readonly seed?: number;
  readonly path?: string;
  readonly timeScale?: number;
  readonly variant?: string;
  /**
   * Your own dependencies for `createHandlers`, or a function making them for each run (by run id). Memory mode
   * only: on real brokers the consumer runs in a process of its own; export `createHarnessDeps` from the
   * handlers module instead.
   */
  readonly handlerDeps?: HandlerDepsOption;
  /** Your assertions after every run (read back your effects); throw to fail the run. */
  readonly afterRun?: (run: CompletedRun) => void | Promise<void>;
}

/** One receive operation, property-tested under faults, exactly as `eventwire test SERVICE/OPERATION` does. */
export async function testSubscription(options: TestSubscriptionOptions): Promise<SuiteResult> {
  const root = resolve(options.root ?? process.cwd());
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const loaded = await loadModel([resolve(root, options.contracts ?? 'asyncapi')]);
  if (loaded.errors.length > 0) {
    throw new Error(`the contracts have errors:\n${formatDiagnostics(loaded.errors)}`);
  }
  const { targets } = await loadTargets({
    model: loaded.model,
    generatedDir: resolve(root, options.generated ?? 'generated'),
    select: [`${options.service}/${options.operation}`],
    ...(options.handlers ? { handlersModule: resolve(root, options.handlers) } : {}),
    seed,
  });
  const mode = options.brokers ?? 'memory';
  const { provider, backend } = await loadMode(mode);
  const target = targets[0]!;
  // What the subscription needs: its transport's broker, and Redis for the stores (PostgreSQL when it says so).
  const needs = new Set<BrokerKind>([target.transport === 'rabbitmq' ? 'rabbitmq' : 'redis', 'redis']);
  if (target.spec.idempotency.store === 'postgres') needs.add('postgres');
  // And what the handlers module's createHarnessDeps uses (`export const harnessBrokers = ['postgres']`).
  if (mode !== 'memory') {
    const { handlers } = await loadServiceModules(target);
    for (const kind of handlers.harnessBrokers ?? []) needs.add(kind);
  }
  await using brokers = await provider.start(needs);
  return runSuite(backend, brokers, target, {
    faults: new Set(options.faults ?? ALL_FAULTS),
    runs: options.runs ?? 100,
    seed,
    // Real brokers run the contract 50 times as fast unless told otherwise (as `eventwire test` does).
    timeScale: options.timeScale ?? (mode === 'memory' ? 1 : 0.02),
    ...(options.path !== undefined ? { path: options.path } : {}),
    ...(options.variant !== undefined ? { variant: options.variant } : {}),
    ...(options.handlerDeps !== undefined ? { handlerDeps: options.handlerDeps } : {}),
    ...(options.afterRun !== undefined ? { afterRun: options.afterRun } : {}),
  });
}

/** Throws, with the counterexample, timeline and replay command, unless the suite held. */
export function assertHolds(result: SuiteResult, mode: BrokerMode = 'memory'): void {
  if (result.ok) return;
  const report: HarnessReport = {
    ok: false,
    mode,
    seed: result.seed,
    faults: result.coverage.filter((row) => row.requested).map((row) => row.fault),
    runsPerSuite: result.requestedRuns,
    timeScale: 1,
    startedAt: new Date().toISOString(),
    durationMs: result.durationMs,
    totals: result.counts,
    suites: [result],
  };
  const error = new Error(`${humanReport(report)}\nreplay: ${replayCommand(report, result)}`);
  error.name = 'HarnessFailure';
  throw error;
}
