/**
 * A load worker (worker thread): publishes its share of every scenario's arrivals through the service's
 * generated publisher on the real runtime. Open model, like k6's arrival-rate executors: an arrival starts at its
 * due time whether or not earlier publishes have finished; one that finds all the scenario's slots busy is
 * dropped and counted, never delayed. Latency runs from the intended send time, so a slow broker or a late timer
 * shows in the figures instead of hiding in fewer sends (no coordinated omission).
 */
import { setImmediate as yieldToIo, setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type {
  Destination,
  EventEnvelope,
  PublicationSpec,
  PublishOptions,
  Runtime,
  Transport,
} from '../../runtime/index.ts';
import { MemoryIdempotencyStore } from '../../runtime/index.ts';
import { payloadFor, runTag } from '../lib/event.ts';
import type { LoadEvent } from '../lib/types.ts';
import { constantArrivals, constantPhaseMs } from './arrivals.ts';
import { encodeHistogram, type Histogram, newHistogram, recordMs } from './histogram.ts';
import {
  epochNow,
  loadCorrelationId,
  type PublisherModule,
  type ScenarioTick,
  type StartMessage,
  type ScenarioTotals,
  type WorkerInput,
  type WorkerMessage,
  type WorkerScenario,
} from './protocol.ts';
import { openTransport } from './transports.ts';

type Publish = (data: unknown, options?: PublishOptions) => Promise<EventEnvelope<unknown>>;

const MAX_ERRORS = 5;

class ScenarioRun {
  readonly latency = newHistogram();
  readonly startLag = newHistogram();
  interval: Histogram = newHistogram();
  scheduled = 0;
  ok = 0;
  failed = 0;
  dropped = 0;
  inFlight = 0;
  #idle: PromiseWithResolvers<void> | undefined;
  readonly errors = new Set<string>();
  last = { ok: 0, failed: 0, dropped: 0 };

  readonly scenario: WorkerScenario;
  readonly #payloads = new Map<LoadEvent, unknown>();

  constructor(scenario: WorkerScenario) {
    this.scenario = scenario;
  }

  /** One publish of this scenario settled. */
  settled(): void {
    if (--this.inFlight === 0) this.#idle?.resolve();
  }

  /** Resolves once no publish of this scenario is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    this.#idle ??= Promise.withResolvers<void>();
    return this.#idle.promise;
  }

  fixedPayload(event: LoadEvent): unknown {
    if (!this.#payloads.has(event))
      this.#payloads.set(event, JSON.parse(JSON.stringify(event.example ?? null)));
    return this.#payloads.get(event);
  }

  tick(second: number): ScenarioTick | undefined {
    const delta = {
      ok: this.ok - this.last.ok,
      failed: this.failed - this.last.failed,
      dropped: this.dropped - this.last.dropped,
    };
    if (delta.ok + delta.failed + delta.dropped === 0) return undefined;
    this.last = { ok: this.ok, failed: this.failed, dropped: this.dropped };
    const latency = this.interval.totalCount > 0 ? encodeHistogram(this.interval) : undefined;
    this.interval.reset();
    return { index: this.scenario.index, second, ...(latency ? { latency } : {}), ...delta };
  }

  totals(interrupted: number): ScenarioTotals {
    return {
      index: this.scenario.index,
      latency: encodeHistogram(this.latency),
      startLag: encodeHistogram(this.startLag),
      scheduled: this.scheduled,
      ok: this.ok,
      failed: this.failed + interrupted,
      dropped: this.dropped,
      interrupted,
      errors: [...this.errors],
    };
  }
}

const input = workerData as WorkerInput;
const post = (message: WorkerMessage) => parentPort?.postMessage(message);

/**
 * Opens the transport's publishing side for every destination the run sends to (RabbitMQ: the confirm channel
 * and the exchange declarations; Redis: the connection) before the clock starts, as a service does at start-up: otherwise the first
 * event of each scenario waits for that setup and the figures measure connection set-up as publish latency.
 */
async function preparePublishing(
  transport: Transport,
  modules: readonly Record<string, unknown>[],
  methods: ReadonlySet<string>,
): Promise<void> {
  if (!('preparePublishing' in transport)) return;
  const prepare = transport as { preparePublishing(destinations: readonly Destination[]): Promise<void> };
  const destinations: Destination[] = [];
  for (const module of modules) {
    const publications = (module.publications ?? {}) as Record<string, PublicationSpec>;
    for (const [method, spec] of Object.entries(publications)) {
      const { destination } = spec;
      const templated = destination.kind === 'amqp' ? destination.exchange : destination.topic;
      if (methods.has(method) && !templated.includes('{')) destinations.push(destination);
    }
  }
  await prepare.preparePublishing(destinations);
}

/** Calls per scenario that warm its publish path up: enough for V8 to compile the hot functions optimized. */
const WARM_UP_CALLS = 200;

/**
 * Runs each scenario's publish path (validation, envelope, encoding) on a transport that sends nothing, before
 * the clock starts: a fresh worker's first events otherwise run cold code (a fresh process's first publish took
 * 43–300 ms, later ones 0.3 ms), and a run's first second would measure the JIT compiler rather than the
 * publish path. Nothing of it reaches a broker or the figures.
 */
async function warmUp(
  runs: readonly ScenarioRun[],
  modules: readonly Record<string, unknown>[],
): Promise<void> {
  const discard: Transport = {
    kind: 'memory',
    publish: async () => {},
    subscribe: async () => {
      throw new Error('the warm-up transport does not consume');
    },
    close: async () => {},
  };
  const publishers = input.publishers.map((source, i) => publisherOf(source, modules[i]!, discard));
  for (const run of runs) {
    const { publication, methods, publisher } = run.scenario;
    for (let call = 0; call < WARM_UP_CALLS; call++) {
      const event = publication.events[call % publication.events.length];
      const method = event ? publishers[publisher]?.[methods[event.eventType] ?? ''] : undefined;
      if (!event || !method) break;
      // A payload the publisher refuses fails the run's own sends, where it is counted and named.
      await method(run.fixedPayload(event)).catch(() => undefined);
    }
  }
}

async function importModule(source: PublisherModule): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(source.module).href)) as Record<string, unknown>;
}

function publisherOf(
  source: PublisherModule,
  module: Record<string, unknown>,
  transport: Transport,
): Record<string, Publish> {
  const create = module[source.create];
  if (typeof create !== 'function') {
    throw new Error(`${source.module} exports no ${source.create}: run "eventwire generate"`);
  }
  const runtime: Runtime = {
    service: source.service,
    transport,
    idempotency: new MemoryIdempotencyStore(),
    env: input.env,
  };
  // Batched without linger: the arrivals due together (one timer wake-up) leave in one broker call, and none
  // waits for a timer, so each event's latency from its due time is what the broker took.
  return create(runtime, input.batch ? { batch: { lingerMs: 0 } } : undefined) as Record<string, Publish>;
}

/** Resolves with the main thread's start instant. */
function startSignal(): Promise<number> {
  return new Promise((resolve) => {
    parentPort?.once('message', (message: StartMessage) => resolve(message.startAt));
  });
}

let startAt = 0;

function iterate(run: ScenarioRun, publisher: Record<string, Publish>, iteration: number, due: number) {
  const { publication, methods, index } = run.scenario;
  const event = publication.events[iteration % publication.events.length];
  const method = event ? publisher[methods[event.eventType] ?? ''] : undefined;
  if (!event || !method)
    throw new Error(`${run.scenario.name}: no publisher method for iteration ${iteration}`);
  const started = epochNow();
  recordMs(run.startLag, started - due);
  // Without ordering every iteration of an event sends the same payload: copy the example once, not per event.
  const data = publication.ordering
    ? payloadFor(publication, event, iteration, { tag: runTag(startAt), keys: input.orderingKeys }).data
    : run.fixedPayload(event);
  run.inFlight++;
  // One promise per event and no per-event bookkeeping beyond a counter: at tens of thousands of events a
  // second, what the engine allocates per event is garbage collection time taken from the publishes.
  method(data, { correlationId: loadCorrelationId(input.runId, index, due) }).then(
    () => {
      const latency = epochNow() - due;
      recordMs(run.latency, latency);
      recordMs(run.interval, latency);
      run.ok++;
      run.settled();
    },
    (error: unknown) => {
      run.failed++;
      if (run.errors.size < MAX_ERRORS)
        run.errors.add(error instanceof Error ? error.message : String(error));
      run.settled();
    },
  );
}

async function drive(run: ScenarioRun, publisher: Record<string, Publish>, phaseMs: number): Promise<void> {
  const { schedule, slots } = run.scenario;
  let iteration = input.worker;
  let burst = 0;
  for (const offset of constantArrivals(schedule, input.worker, input.workers)) {
    const due = startAt + phaseMs + offset;
    const wait = due - epochNow();
    if (wait >= 1) {
      await sleep(wait);
      burst = 0;
    } else if (++burst % 32 === 0) {
      // Many arrivals due at once: let the I/O of the ones started so far proceed.
      await yieldToIo();
    }
    run.scheduled++;
    if (run.inFlight >= slots) run.dropped++;
    else iterate(run, publisher, iteration, due);
    iteration += input.workers;
  }
}

async function finish(run: ScenarioRun): Promise<number> {
  if (run.inFlight === 0) return 0;
  const graceful = new AbortController();
  await Promise.race([run.idle(), sleep(input.gracefulStopMs, undefined, { signal: graceful.signal })]).catch(
    () => undefined,
  );
  graceful.abort();
  return run.inFlight;
}

async function main(): Promise<void> {
  const transport = await openTransport(input.connection, {
    name: `worker-${input.worker}`,
    consumer: false,
  });
  try {
    const modules = await Promise.all(input.publishers.map(importModule));
    const publishers = input.publishers.map((source, i) => publisherOf(source, modules[i]!, transport));
    const methods = new Set(input.scenarios.flatMap((scenario) => Object.values(scenario.methods)));
    await preparePublishing(transport, modules, methods);
    const runs = input.scenarios.map((scenario) => new ScenarioRun(scenario));
    await warmUp(runs, modules);
    const go = startSignal();
    post({ type: 'ready' });
    startAt = await go;
    const wait = startAt - epochNow();
    if (wait > 0) await sleep(wait);
    const report = () => {
      const second = Math.round((epochNow() - startAt) / 1000);
      const ticks = runs.flatMap((run) => run.tick(second) ?? []);
      if (ticks.length > 0) post({ type: 'tick', ticks });
    };
    const timer = setInterval(report, input.tickMs);
    // Every worker has the run's scenarios in the same order, so each scenario gets the same phase everywhere.
    await Promise.all(
      runs.map((run) =>
        drive(
          run,
          publishers[run.scenario.publisher] ?? {},
          constantPhaseMs(run.scenario.schedule, run.scenario.index, runs.length),
        ),
      ),
    );
    const interrupted = await Promise.all(runs.map(finish));
    clearInterval(timer);
    report();
    post({ type: 'done', totals: runs.map((run, i) => run.totals(interrupted[i] ?? 0)) });
  } finally {
    await transport.close().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
});
