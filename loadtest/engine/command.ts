/**
 * What `eventwire load` does once its flags are read: check them (exit 2 with a clear message), load the
 * contracts, plan, run each group of services that share a broker, print the verdict, write the report.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { oneOf } from '../../cli/args.ts';
import { type CliIo, EXIT, type ExitCode, UsageError } from '../../cli/io.ts';
import { loadContracts } from '../../cli/load.ts';
import { parseK6Duration } from '../lib/duration.ts';
import { PlanError, type PlanSettings, PROFILES, type Profile } from '../lib/plan.ts';
import { BROKER_MODES, type BrokerMode, BrokerUnavailableError } from './brokers.ts';
import { runK6 } from './k6-engine.ts';
import { type RunPlan, RunPlanError, planRun } from './plan-run.ts';
import { buildReport } from '../report/model.ts';
import { reportHtml } from '../report/html.ts';
import { summaryText } from '../report/summary.ts';
import { type RunResult, runLoad } from './run.ts';
import type { TransportKind } from './transports.ts';

export interface LoadCommandInput {
  readonly services: readonly string[];
  readonly profile: string | undefined;
  readonly duration: string | undefined;
  readonly rateScale: string | undefined;
  readonly engine: 'node' | 'k6';
  readonly brokers: string | undefined;
  readonly transport: string | undefined;
  readonly handlers: readonly string[];
  readonly report: string;
  readonly workers: string | undefined;
  readonly drain: string | undefined;
  readonly contracts: readonly string[];
  readonly generated: string;
  readonly operations: readonly string[];
}

const TRANSPORTS: readonly TransportKind[] = ['redis-streams', 'rabbitmq', 'dapr'];

function duration(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseK6Duration(value);
  if (ms === undefined || ms < 1000) {
    throw new UsageError(
      `eventwire load: --${flag} ${value} is not a duration of at least 1s (write 90s, 2m, 1h30m: k6 refuses shorter scenarios).`,
    );
  }
  return ms;
}

function positiveNumber(flag: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `eventwire load: --${flag} must be a positive ${integer ? 'integer' : 'number'} (got "${value}").`,
    );
  }
  return n;
}

/** `payment` -> generated/payment/handlers.ts; `payment=./src/handlers.ts` -> that file. */
function handlerModules(values: readonly string[], generated: string, cwd: string): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const value of values) {
    const [service, module] = value.split('=', 2) as [string, string | undefined];
    if (!service)
      throw new UsageError(
        `eventwire load: --handlers ${value}: name a service (payment or payment=./handlers.ts).`,
      );
    modules[service] = module ? resolve(cwd, module) : join(generated, service, 'handlers.ts');
  }
  return modules;
}

function daprSettings(env: CliIo['env']): { url: string; apiToken?: string; appPort: number } {
  const url = (env.DAPR_URL ?? `http://127.0.0.1:${env.DAPR_HTTP_PORT ?? '3500'}`).replace(/\/+$/, '');
  const appPort = Number(env.APP_PORT ?? 8080);
  return { url, appPort, ...(env.DAPR_API_TOKEN ? { apiToken: env.DAPR_API_TOKEN } : {}) };
}

export async function runLoadCommand(input: LoadCommandInput, io: CliIo): Promise<ExitCode> {
  const profile = oneOf<Profile>('load', 'profile', input.profile, PROFILES, 'smoke');
  const brokers = oneOf<BrokerMode>('load', 'brokers', input.brokers, BROKER_MODES, 'local');
  const transport =
    input.transport === undefined
      ? undefined
      : oneOf('load', 'transport', input.transport, TRANSPORTS, 'redis-streams');
  const durationMs = duration('duration', input.duration);
  const drainMs = duration('drain', input.drain) ?? 30_000;
  const rateScale = positiveNumber('rate-scale', input.rateScale, false) ?? 1;
  const workers = positiveNumber('workers', input.workers, true);
  const settings: PlanSettings = { profile, rateScale, ...(durationMs !== undefined ? { durationMs } : {}) };

  if (input.engine === 'k6') {
    return runK6(
      { services: input.services, settings, report: input.report, generated: input.generated },
      io,
    );
  }

  const model = await loadContracts(input.contracts, io, { quiet: true });
  if (!model) return EXIT.badInput;
  const handlers = handlerModules(input.handlers, input.generated, io.cwd);
  const operations =
    input.operations.length > 0 ? { operations: input.operations.flatMap((o) => o.split(',')) } : {};
  const publishing = model.services
    .filter((s) => s.operations.some((op) => op.action === 'send'))
    .map((s) => s.name);
  const services = input.services.length > 0 ? input.services : publishing;

  const plan = (names: readonly string[]) =>
    planRun({
      model,
      services: names,
      settings,
      generatedDir: input.generated,
      handlers,
      ...operations,
      ...(transport ? { transport } : {}),
    });
  let plans: RunPlan[];
  try {
    if (input.services.length > 0) plans = [plan(services)];
    else {
      // Every publishing service, one run per broker (a run loads one broker).
      const byBroker = new Map<string, string[]>();
      for (const name of services) {
        const kind = plan([name]).transport;
        byBroker.set(kind, [...(byBroker.get(kind) ?? []), name]);
      }
      plans = [...byBroker.values()].map(plan);
    }
  } catch (error) {
    if (error instanceof RunPlanError || error instanceof PlanError) {
      io.stderr(`eventwire load: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }

  const controller = new AbortController();
  void io.interrupted.then(() => controller.abort());
  const progress = (line: string) => io.stderr(`  ${line}\n`);
  const reports: { plan: RunPlan; result: RunResult }[] = [];
  for (const plan of plans) {
    for (const note of [...plan.notes, ...plan.skipped]) io.stderr(`note: ${note}\n`);
    for (const s of plan.scenarios)
      for (const note of s.plan.notes) io.stderr(`note: ${s.plan.name}: ${note}\n`);
    io.stderr(`load: ${plan.scenarios.length} scenarios (${profile}) over ${plan.transport}\n`);
    try {
      const result = await runLoad({
        plan,
        brokers,
        env: io.env,
        drainMs,
        progress,
        signal: controller.signal,
        ...(workers !== undefined ? { workers } : {}),
        ...(plan.transport === 'dapr' ? { dapr: daprSettings(io.env) } : {}),
      });
      reports.push({ plan, result });
    } catch (error) {
      if (error instanceof BrokerUnavailableError) {
        io.stderr(`eventwire load: ${error.message}\n`);
        return EXIT.badInput;
      }
      throw error;
    }
  }
  const report = buildReport({ profile, settings, engine: 'node', brokers, runs: reports });
  await mkdir(input.report, { recursive: true });
  await writeFile(join(input.report, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(input.report, 'report.html'), reportHtml(report));
  io.stdout(summaryText(report));
  io.stdout(`report: ${relative(io.cwd, join(input.report, 'report.html')) || input.report}\n`);
  return report.passed ? EXIT.ok : EXIT.findings;
}
