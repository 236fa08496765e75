/**
 * One load run with the Node engine: open the brokers (isolated), start the consumers, start the load workers
 * together, follow their progress, let the consumers drain, take the lag, tear everything down, judge the
 * thresholds. Cleanup runs whatever happens, including Ctrl-C (`signal`).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import type { ConsumerHandle, Transport } from '../../runtime/index.ts';
import type { DaprTransport } from '../../runtime/transports/dapr/index.ts';
import { type BrokerMode, openBrokers, type RunBrokers } from './brokers.ts';
import { startLoadConsumers } from './consumers.ts';
import { evaluate, type ThresholdResult } from './evaluate.ts';
import type { RunPlan } from './plan-run.ts';
import { epochNow, type WorkerInput, type WorkerMessage } from './protocol.ts';
import { RunStats } from './stats.ts';
import { openTransport } from './transports.ts';
import { siblingModule } from '../../generators/sibling-module.ts';

export interface RunOptions {
  readonly plan: RunPlan;
  readonly brokers: BrokerMode;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly workers?: number;
  /**
   * Publish through the batching publisher (`batch: { lingerMs: 0 }`: the arrivals due together share a broker
   * call). Off by default: one call per event, as a service publishes; `npm run bench:load` compares both.
   */
  readonly batch?: boolean;
  /** How long consumers may take to catch up once the load has ended. */
  readonly drainMs?: number;
  readonly dapr?: { readonly url: string; readonly apiToken?: string; readonly appPort: number };
  /** Called about once a second while the load runs, and once the consumers have drained. */
  readonly progress?: (line: string) => void;
  /** Aborting stops the run early (the thresholds are then judged on what was measured). */
  readonly signal?: AbortSignal;
  /** Called once the consumers are subscribed, before any event is sent (tests break routes here). */
  readonly onConsumersReady?: (context: {
    readonly brokers: RunBrokers;
    readonly appPort?: number;
  }) => Promise<void>;
}

export interface RunResult {
  readonly runId: string;
  readonly startedAt: string;
  readonly stats: RunStats;
  readonly results: readonly ThresholdResult[];
  readonly described: readonly string[];
  readonly workers: number;
  readonly wallMs: number;
  readonly drained: boolean;
  readonly interrupted: boolean;
}

const WORKER = siblingModule('./worker.ts', import.meta.url);
const GRACEFUL_STOP_MS = 30_000;

/**
 * One load worker per core but one, up to 4: the remaining core serves the main thread and the brokers. Even
 * with nothing to consume, a worker per core was slower on 2 cores (20,000 events/s to Redis: p99 from due
 * 110 ms with one worker, 1,158 ms with two), the workers then starving the Redis server they publish to.
 */
function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

function spawn(
  input: WorkerInput,
  stats: RunStats,
): { worker: Worker; ready: Promise<void>; done: Promise<void> } {
  const worker = new Worker(WORKER, { workerData: input });
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const done = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'tick') for (const tick of message.ticks) stats.tick(tick);
      else if (message.type === 'done') {
        for (const totals of message.totals) stats.totals(totals);
        resolve();
      } else reject(new Error(`load worker ${input.worker}: ${message.message}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`load worker ${input.worker} exited with ${code}`)),
    );
  });
  // A worker that fails before it is ready must not leave the run waiting.
  done.catch(() => markReady());
  return { worker, ready, done };
}

function progressLine(plan: RunPlan, stats: RunStats, elapsedMs: number, totalMs: number): string {
  let ok = 0;
  let failed = 0;
  let dropped = 0;
  let handled = 0;
  for (const series of stats.series) {
    for (const second of series.values()) {
      ok += second.ok;
      failed += second.failed;
      dropped += second.dropped;
      handled += second.handled;
    }
  }
  const planned = plan.scenarios.reduce((sum, s) => sum + s.plan.events, 0);
  const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;
  return (
    `${seconds(Math.min(elapsedMs, totalMs))}/${seconds(totalMs)}  sent ${ok + failed}/${planned}` +
    `  failed ${failed}  dropped ${dropped}  handled ${handled}`
  );
}

async function drain(
  plan: RunPlan,
  stats: RunStats,
  drainMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + drainMs;
  const pending = () =>
    plan.scenarios.some((scenario, index) => scenario.subscribers.some((s) => stats.lag(s, index) > 0));
  while (pending()) {
    if (Date.now() > deadline || signal?.aborted) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

export async function runLoad(options: RunOptions): Promise<RunResult> {
  const { plan } = options;
  const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const startedAt = new Date().toISOString();
  const needsPostgres = plan.consumers.some((c) => c.idempotencyStore === 'postgres');
  const brokers = await openBrokers({
    mode: options.brokers,
    transport: plan.transport,
    runId,
    env: options.env,
    postgres: needsPostgres,
    ...(options.dapr ? { dapr: options.dapr } : {}),
  });
  const transports: Transport[] = [];
  const handles: ConsumerHandle[] = [];
  const workers: Worker[] = [];
  const began = Date.now();
  const stats = new RunStats(
    plan.scenarios.length,
    0,
    Math.max(...plan.scenarios.map((s) => s.plan.durationMs)),
  );
  let drained = false;
  let interrupted = false;
  try {
    // Through a sidecar the run is one app (one app server); on a broker each subscribing service has its own
    // connections, as separate processes would.
    let shared: Transport | undefined;
    const transportFor = async (service: string) => {
      if (brokers.connection.kind === 'dapr' && shared) return shared;
      const transport = await openTransport(brokers.connection, {
        name: `consumer-${service}`,
        consumer: true,
      });
      transports.push(transport);
      if (brokers.connection.kind === 'dapr') shared = transport;
      return transport;
    };
    const started = await startLoadConsumers(plan.consumers, {
      runId,
      stats,
      transportFor,
      idempotency: brokers.idempotency,
      idempotencyStores: brokers.idempotencyStores,
      ordering: brokers.ordering,
    });
    handles.push(...started.handles);
    const appPort = shared && 'listen' in shared ? await (shared as DaprTransport).listen() : undefined;
    await options.onConsumersReady?.({ brokers, ...(appPort !== undefined ? { appPort } : {}) });

    const count = Math.max(1, options.workers ?? defaultWorkers());
    const spawned = Array.from({ length: count }, (_, worker) =>
      spawn(
        {
          worker,
          workers: count,
          runId,
          publishers: plan.publishers,
          connection: brokers.connection,
          env: options.env,
          batch: options.batch ?? false,
          scenarios: plan.scenarios.map((s, index) => ({
            index,
            name: s.plan.name,
            schedule: { rate: s.plan.rate, timeUnitMs: s.plan.timeUnitMs, durationMs: s.plan.durationMs },
            slots: Math.max(1, Math.ceil(s.plan.vus / count)),
            publication: s.publication,
            publisher: s.publisher,
            methods: s.methods,
          })),
          gracefulStopMs: GRACEFUL_STOP_MS,
          orderingKeys: 100,
          tickMs: 1000,
        },
        stats,
      ),
    );
    workers.push(...spawned.map((s) => s.worker));
    await Promise.all(spawned.map((s) => s.ready));
    const startAt = epochNow() + 200;
    stats.startAt = startAt;
    for (const worker of workers) worker.postMessage({ type: 'start', startAt });

    const totalMs = Math.max(...plan.scenarios.map((s) => s.plan.durationMs));
    const timer = setInterval(
      () => options.progress?.(progressLine(plan, stats, epochNow() - startAt, totalMs)),
      1000,
    );
    try {
      const finished = Promise.all(spawned.map((s) => s.done));
      const aborted = new Promise<'aborted'>((resolve) => {
        if (options.signal?.aborted) resolve('aborted');
        options.signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
      });
      if ((await Promise.race([finished, aborted])) === 'aborted') interrupted = true;
    } finally {
      clearInterval(timer);
    }
    if (!interrupted) drained = await drain(plan, stats, options.drainMs ?? 30_000, options.signal);
    options.progress?.(
      `${progressLine(plan, stats, totalMs, totalMs)}  ${drained ? 'drained' : 'not drained'}`,
    );
  } finally {
    await Promise.allSettled(workers.map((w) => w.terminate()));
    await Promise.allSettled(handles.map((h) => h.stop()));
    await Promise.allSettled(transports.map((t) => t.close()));
    await brokers.close();
  }
  const scenarioIndex = new Map(plan.scenarios.map((s, i) => [s.plan.name, i]));
  return {
    runId,
    startedAt,
    stats,
    results: evaluate(plan.thresholds, scenarioIndex, stats),
    described: brokers.described,
    workers: workers.length,
    wallMs: Date.now() - began,
    drained,
    interrupted,
  };
}
