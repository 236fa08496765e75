/**
 * `eventwire test [SERVICES...]`: property-based chaos and idempotency suites against the services' own
 * handlers, one per receive operation, with what must hold derived from the contract. Exit 0 when everything
 * holds, 1 when an invariant broke or a requested fault never happened, 2 for bad input (no handlers, unknown
 * service or fault, a broker that does not answer).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { oneOf, parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode, UsageError } from '../io.ts';
import { loadContracts } from '../load.ts';
import type { BrokerMode, SuiteTarget } from '../../harness/engine/types.ts';

export const testHelp = `Usage: eventwire test [SERVICES...] [--brokers memory|local|containers] [--faults LIST] [--runs N]
                      [--budget 2m] [--seed S --path P] [--handlers MODULE] [--report DIR]
                      [--format human|json|junit] [--time-scale F] [--variant NAME] [--transport T]
                      [--contracts DIR] [--generated DIR]

Runs generated fault schedules (duplicates, reordering, crashes at each point of the consumer pipeline, lost
publish confirms, dropped connections, slow handlers, poison and invalid events) against each receive operation
of the chosen services, through the generated consumer and your own handlers, and checks what the contract
promises: nothing confirmed is lost, each idempotency key's effect happens once, ordered keys are handled in
sequence, poison events are dead-lettered after maxRetries + 1 attempts with the contract's backoff, invalid
ones never reach a handler, nothing stays pending. A failure prints the shrunk schedule, what was expected and
observed, and the command that replays it.

Arguments:
  SERVICES          service names, or SERVICE/OPERATION for one receive operation
                    (default: every service whose handlers are written)

Options:
  --brokers MODE    containers (throwaway brokers on Testcontainers, with broker restarts, pauses and network
                    faults; the default when a Docker engine answers), local (REDIS_URL, AMQP_URL,
                    DATABASE_URL; the default otherwise), memory (in-process, virtual time: fastest)
  --faults LIST     comma-separated fault kinds (default: all the mode can inject); crash = the three crash
                    points. Kinds: FAULT_KINDS
  --runs N          runs per receive operation (default 100)
  --budget TIME     stop starting new runs after this long overall (90s, 2m, 1h)
  --seed S          seed of the schedules and payloads (default: random, printed)
  --path P          with --seed: replay exactly the counterexample fast-check printed (one operation only)
  --handlers MODULE the module exporting createHandlers(deps) (default: generated/<service>/handlers.ts)
  --contracts DIR   contracts (default: asyncapi/)   --generated DIR  generated code (default: generated/)
  --report DIR      write report.json, junit.xml and report.html there
  --format F        human (default), json or junit on stdout
  --time-scale F    multiply the contract's durations (retry delays, timeouts, lease, ordering buffer) by F;
                    backoff is then checked against the scaled contract (default 1 in memory mode,
                    0.02 on real brokers)
  --variant NAME    run a broken runtime from the harness catalogue instead of the correct one
  --transport T     local/containers: run the services on redis-streams, rabbitmq (topics as fanout
                    exchanges) or dapr (the fake daprd of eventwire/testing) instead of their contract's
  -h, --help        show this help

Exit codes: 0 everything holds, 1 an invariant broke or a requested fault never happened, 2 bad input or usage.`;

const FORMATS = ['human', 'json', 'junit'] as const;
const TRANSPORTS = ['redis-streams', 'rabbitmq', 'dapr'] as const;

/** The default --time-scale of local and containers mode (harness/real/suite.ts, REAL_TIME_SCALE). */
const REAL_TIME_SCALE = 0.02;

export async function testCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('test', argv, {
    brokers: { type: 'string' },
    faults: { type: 'string' },
    runs: { type: 'string' },
    budget: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    handlers: { type: 'string' },
    contracts: { type: 'string' },
    generated: { type: 'string' },
    report: { type: 'string' },
    format: { type: 'string' },
    'time-scale': { type: 'string' },
    variant: { type: 'string' },
    transport: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const { ALL_FAULTS } = await import('../../harness/engine/suite.ts');
  if (values.help) {
    io.stdout(`${testHelp.replace('FAULT_KINDS', ALL_FAULTS.join(', '))}\n`);
    return EXIT.ok;
  }
  const { BROKER_MODES, loadMode } = await import('../../harness/brokers.ts');
  // No --brokers: containers when a Docker engine answers, else the machine's own brokers (decided below, once the
  // input is known to be good, and said once).
  const asked =
    values.brokers === undefined
      ? undefined
      : oneOf('test', 'brokers', values.brokers, BROKER_MODES, 'memory');
  const format = oneOf('test', 'format', values.format, FORMATS, 'human');
  const runs = positiveInteger('runs', values.runs, 100);
  const seed = values.seed !== undefined ? integer('seed', values.seed) : Math.floor(Math.random() * 2 ** 31);
  const givenScale =
    values['time-scale'] !== undefined ? positiveNumber('time-scale', values['time-scale']) : undefined;
  const budgetMs = values.budget !== undefined ? durationMs(values.budget) : undefined;
  const faults = parseFaults(values.faults, ALL_FAULTS);
  if (values.path !== undefined && values.seed === undefined) {
    throw new UsageError('eventwire test: --path replays a counterexample of one seed: give --seed too.');
  }
  if (values.variant !== undefined) {
    const { VARIANTS } = await import('../../harness/catalogue/index.ts');
    if (!Object.hasOwn(VARIANTS, values.variant)) {
      throw new UsageError(
        `eventwire test: unknown --variant "${values.variant}" (catalogue: ${Object.keys(VARIANTS).join(', ')}).`,
      );
    }
  }

  const model = await loadContracts([resolve(io.cwd, values.contracts ?? 'asyncapi')], io, { quiet: true });
  if (!model) return EXIT.badInput;
  const { loadTargets, TargetError } = await import('../../harness/targets/load.ts');
  const { ServiceModuleError } = await import('../../harness/engine/service-modules.ts');
  const { BrokerUnavailableError, ModeUnavailableError } = await import('../../harness/engine/errors.ts');
  try {
    const loaded = await loadTargets({
      model,
      generatedDir: resolve(io.cwd, values.generated ?? 'generated'),
      select: positionals,
      ...(values.handlers !== undefined ? { handlersModule: resolve(io.cwd, values.handlers) } : {}),
      seed,
    });
    if (values.path !== undefined && loaded.targets.length !== 1) {
      throw new UsageError(
        'eventwire test: --path belongs to one receive operation: name it as SERVICE/OPERATION (the replay line printed with the failure does).',
      );
    }
    const transport =
      values.transport === undefined
        ? undefined
        : oneOf('test', 'transport', values.transport, TRANSPORTS, 'redis-streams');
    const targets = transport ? loaded.targets.map((target) => ({ ...target, transport })) : loaded.targets;
    for (const skip of loaded.skipped)
      io.stderr(`skipped ${skip.service}/${skip.operation}: ${skip.reason}\n`);
    const needs = new Set(
      targets.flatMap((target) => brokersFor(target.transport, target.spec.idempotency.store)),
    );
    if (asked !== 'memory') for (const kind of await handlerBrokers(targets)) needs.add(kind);
    const mode: BrokerMode = asked ?? (await defaultMode(io, needs));
    // Real brokers run the contract's durations 50 times as fast by default (a 1 s retry delay takes 20 ms).
    const timeScale = givenScale ?? (mode === 'memory' ? 1 : REAL_TIME_SCALE);
    const { provider, backend } = await loadMode(mode);
    const { runHarness, progressLine, humanReport, jsonReport, junitReport } = await loadRunModules();
    await using brokers = await provider.start(needs as never);
    const progress = progressLine(io);
    const report = await runHarness(backend, brokers, targets, {
      mode,
      faults,
      runs,
      seed,
      timeScale,
      ...(values.path !== undefined ? { path: values.path } : {}),
      ...(budgetMs !== undefined ? { budgetMs } : {}),
      ...(values.variant !== undefined ? { variant: values.variant } : {}),
      ...(values.handlers !== undefined ? { handlersModule: values.handlers } : {}),
      ...(transport !== undefined ? { transport } : {}),
      onProgress: progress.update,
    });
    progress.done();
    const render = { human: humanReport, json: jsonReport, junit: junitReport }[format];
    io.stdout(render(report));
    if (values.report !== undefined) {
      const { htmlReport } = await loadHtmlReport();
      const dir = resolve(io.cwd, values.report);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'report.json'), jsonReport(report));
      await writeFile(join(dir, 'junit.xml'), junitReport(report));
      await writeFile(join(dir, 'report.html'), htmlReport(report));
      io.stderr(`report written to ${dir}/ (report.json, junit.xml, report.html)\n`);
    }
    return report.ok ? EXIT.ok : EXIT.findings;
  } catch (error) {
    if (
      error instanceof TargetError ||
      error instanceof ServiceModuleError ||
      error instanceof BrokerUnavailableError ||
      error instanceof ModeUnavailableError
    ) {
      io.stderr(`eventwire test: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}

/** Containers when a Docker engine answers and has the images of the brokers the run needs, else local; said once. */
async function defaultMode(io: CliIo, needs: ReadonlySet<string>): Promise<BrokerMode> {
  const { defaultBrokerMode } = await import('../../harness/containers/provider.ts');
  const mode = await defaultBrokerMode((line) => io.stderr(`${line}\n`), needs as ReadonlySet<never>);
  if (mode === 'containers')
    io.stderr('brokers: containers (a Docker engine answers; --brokers local or memory to choose another)\n');
  return mode;
}

function brokersFor(transport: string, store: string): string[] {
  const needs = [transport === 'rabbitmq' ? 'rabbitmq' : 'redis'];
  if (store === 'redis') needs.push('redis');
  if (store === 'postgres') needs.push('postgres');
  return needs;
}

/**
 * The brokers the handlers modules' `createHarnessDeps` use besides the contract's (`export const
 * harnessBrokers = ['postgres']`: a service whose stores live in PostgreSQL gets the run's schema on real brokers).
 */
async function handlerBrokers(targets: readonly SuiteTarget[]): Promise<string[]> {
  const { loadServiceModules } = await import('../../harness/engine/service-modules.ts');
  const seen = new Map<string, SuiteTarget>(targets.map((target) => [target.handlersModule, target]));
  const kinds: string[] = [];
  for (const target of seen.values()) {
    const { handlers } = await loadServiceModules(target);
    kinds.push(...(handlers.harnessBrokers ?? []));
  }
  return kinds;
}

/** `crash` stands for the three crash points; `all` for every kind. */
function parseFaults<F extends string>(value: string | undefined, all: readonly F[]): Set<F> {
  if (value === undefined || value === 'all') return new Set(all);
  const faults = new Set<F>();
  for (const raw of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    if (raw === 'crash') {
      for (const fault of all) if (fault.startsWith('crash-')) faults.add(fault);
    } else if ((all as readonly string[]).includes(raw)) {
      faults.add(raw as F);
    } else {
      throw new UsageError(
        `eventwire test: unknown fault "${raw}" in --faults (kinds: crash, ${all.join(', ')}).`,
      );
    }
  }
  if (faults.size === 0) throw new UsageError('eventwire test: --faults names no fault kind.');
  return faults;
}

function integer(flag: string, value: string): number {
  if (!/^-?\d+$/.test(value))
    throw new UsageError(`eventwire test: --${flag} must be an integer (got "${value}").`);
  return Number(value);
}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = integer(flag, value);
  if (number < 1) throw new UsageError(`eventwire test: --${flag} must be at least 1 (got "${value}").`);
  return number;
}

function positiveNumber(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new UsageError(`eventwire test: --${flag} must be a number above 0 (got "${value}").`);
  }
  return number;
}

/** `90s`, `2m`, `1h`, `1500ms`. */
export function durationMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!match)
    throw new UsageError(`eventwire test: --budget must be a duration like 90s, 2m or 1h (got "${value}").`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

/**
 * The run's modules, loaded outside the block that holds `await using`: TypeScript (5.9) does not rewrite the
 * `.ts` specifiers of dynamic imports inside such a block when it lowers it, and the built package has no `.ts`.
 */
async function loadRunModules() {
  const [{ runHarness }, { progressLine }, { humanReport }, { jsonReport }, { junitReport }] =
    await Promise.all([
      import('../../harness/engine/harness-run.ts'),
      import('../../harness/report/progress.ts'),
      import('../../harness/report/human.ts'),
      import('../../harness/report/json.ts'),
      import('../../harness/report/junit.ts'),
    ]);
  return { runHarness, progressLine, humanReport, jsonReport, junitReport };
}

function loadHtmlReport() {
  return import('../../harness/report/html.ts');
}
