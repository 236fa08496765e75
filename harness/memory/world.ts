/**
 * Memory mode: one run of a schedule against the service's own generated consumer and handlers, on the real
 * runtime pipeline, over the memory broker and virtual time. Deterministic: the same plan gives the same history.
 *
 * A consumer "process" is one start of the generated consumer with its own runtime: its own idempotency-store
 * owner (claims are per process), its own ordering guard, its own timers. The stores' contents model Redis and
 * outlive every process. A crash kills the process at the probe point: its deliveries go back to the broker,
 * its timers die, and everything it awaits from the world stops answering (freeze.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type CompiledValidator,
  decodeDeliveryBody,
  type EventHandler,
  HEADER,
  type IdempotencyStore,
  MemoryIdempotencyStore,
  MemoryOrderingStore,
  MemoryProgressTracker,
  type OrderingStore,
  type OutgoingMessage,
  type Outcome,
  type PipelinePoint,
  type ProgressTracking,
  prepareEvent,
  type Runtime,
  sleep,
  type Transport,
} from 'eventwire/runtime';
import { variantNamed } from '../catalogue/index.ts';
import { buildHandlers, loadServiceModules, type ServiceModules } from '../engine/service-modules.ts';
import {
  ALL_FAULTS,
  BROKER_FAULTS,
  type BrokerStep,
  type ConsumerId,
  type ConsumerStep,
  type CrashPoint,
  type EventRef,
  type FaultKind,
  type HarnessBackend,
  type HistoryEvent,
  type PlannedEvent,
  type Quiescence,
  type RunDriver,
  type RunPlan,
  type RuntimeVariant,
  type StartedBrokers,
  type SuiteOptions,
  type SuiteSession,
  type SuiteTarget,
  type VariantContext,
} from '../engine/types.ts';
import { type InFlight, MemoryBroker, type StoredMessage } from './broker.ts';
import { BROKER_OWNER, HarnessClock } from './clock.ts';
import { frozenWhenDead, never } from './freeze.ts';

/** Every fault kind but the broker's own (restart, pause, network), which only containers mode has. */
export const MEMORY_FAULTS: ReadonlySet<FaultKind> = new Set(
  ALL_FAULTS.filter((fault) => !(BROKER_FAULTS as readonly string[]).includes(fault)),
);

export interface MemoryWorldOptions {
  /** Virtual time a run may take before it counts as stuck (default 1 h: far past every contract duration). */
  readonly horizonMs?: number;
  /** Settle rounds before a run counts as stuck (default 20 000). */
  readonly maxRounds?: number;
  /** How often a held ordered event re-reads the ordering store (default 5 s of virtual time). */
  readonly orderingPollIntervalMs?: number;
}

export const memoryBackend = (options: MemoryWorldOptions = {}): HarnessBackend => ({
  mode: 'memory',
  async openSuite(target: SuiteTarget, _brokers: StartedBrokers, suite: SuiteOptions): Promise<SuiteSession> {
    const modules = await loadServiceModules(target);
    const variant = suite.variant === undefined ? undefined : variantNamed(suite.variant);
    return {
      supports: MEMORY_FAULTS,
      async startRun(plan) {
        const run = new MemoryRun(target, modules, plan, suite, options, variant);
        await run.start();
        return run;
      },
      async [Symbol.asyncDispose]() {},
    };
  },
});

interface DeliveryContext {
  readonly inFlight: InFlight;
}

const acceptAll = Object.assign((_data: unknown): _data is unknown => true, {
  errors: null,
}) as CompiledValidator<unknown>;

interface Process {
  readonly id: ConsumerId;
  dead: boolean;
}

export class MemoryRun implements RunDriver {
  readonly #target: SuiteTarget;
  readonly #modules: ServiceModules;
  readonly #plan: RunPlan;
  readonly #suite: SuiteOptions;
  readonly #options: MemoryWorldOptions;
  readonly #variant: RuntimeVariant | undefined;
  readonly #clock = new HarnessClock();
  readonly #broker: MemoryBroker;
  readonly #history: HistoryEvent[] = [];
  readonly #context = new AsyncLocalStorage<DeliveryContext>();
  // What outlives a consumer process (it lives in Redis in production).
  readonly #idempotency: MemoryIdempotencyStore;
  readonly #ordering = new MemoryOrderingStore();
  readonly #progress = new MemoryProgressTracker();
  /** Published events by name: their envelope's id and the stored message (for duplicates). */
  readonly #published = new Map<
    EventRef,
    { eventId: string; message: OutgoingMessage; stored?: StoredMessage; copies: number }
  >();
  readonly #refs = new Map<string, EventRef>();
  /** Handler runs per event (fail N times counts runs, not deliveries). */
  readonly #runs = new Map<EventRef, number>();
  #process: Process = { id: 0, dead: true };
  #armedCrash: CrashPoint | undefined;
  #armedDrop = false;
  /** What the handlers module's createHarnessDeps gave this run. */
  #userDeps: (Readonly<Record<string, unknown>> & Partial<AsyncDisposable>) | undefined;
  /** What the suite's caller gave for this run (library users). */
  #givenDeps: Readonly<Record<string, unknown>> | undefined;
  readonly #publishRuntime: Runtime;

  constructor(
    target: SuiteTarget,
    modules: ServiceModules,
    plan: RunPlan,
    suite: SuiteOptions,
    options: MemoryWorldOptions,
    variant: RuntimeVariant | undefined,
  ) {
    this.#target = target;
    this.#modules = modules;
    this.#plan = plan;
    this.#suite = suite;
    this.#options = options;
    this.#variant = variant;
    this.#idempotency = new MemoryIdempotencyStore({ clock: this.#clock.forOwner(BROKER_OWNER) });
    this.#broker = new MemoryBroker(
      {
        delivered: (inFlight) => this.#onDelivered(inFlight),
        settled: (inFlight, outcome) => this.#onSettled(inFlight, outcome),
        run: (inFlight, delivery, handler) => this.#context.run({ inFlight }, () => handler(delivery)),
      },
      () => this.#clock.now(),
    );
    this.#publishRuntime = {
      service: { name: 'eventwire-test', version: '1.0.0' },
      transport: undefined as unknown as Transport,
      idempotency: this.#idempotency,
    };
  }

  async start(): Promise<void> {
    const create = this.#modules.handlers.createHarnessDeps;
    if (create) {
      this.#userDeps = await create({
        mode: 'memory',
        target: this.#target,
        endpoints: {},
        runId: this.#plan.runId,
      });
    }
    const given = this.#suite.handlerDeps;
    this.#givenDeps = typeof given === 'function' ? given(this.#plan.runId) : given;
    await this.#startProcess();
  }

  history(): readonly HistoryEvent[] {
    return this.#history;
  }

  async burst(steps: readonly BrokerStep[]): Promise<void> {
    for (const step of steps) this.#applyBrokerStep(step);
  }

  async consumer(step: ConsumerStep): Promise<void> {
    switch (step.kind) {
      case 'crash':
        this.#armedCrash = step.point;
        return;
      case 'drop-connection':
        this.#armedDrop = true;
        return;
      case 'restart':
        if (this.#process.dead) await this.#startProcess();
        return;
      case 'broker-fault':
        return;
    }
  }

  async settle(): Promise<void> {
    await this.#settle();
  }

  async quiesce(): Promise<Quiescence> {
    let quiet = await this.#settle();
    // A supervisor restarts a consumer that died, as often as it dies (a crash armed late lands late).
    for (let restarts = 0; this.#process.dead && restarts < 10; restarts++) {
      await this.#startProcess();
      quiet = await this.#settle();
    }
    const group = this.#broker.group(this.#target.spec);
    const pending = (group ? this.#broker.leftIn(group) : []).map(({ stored, state }) => ({
      eventId: stored.message.eventId,
      ...(stored.event ? { event: stored.event } : {}),
      state,
    }));
    return { quiet: quiet && pending.length === 0, pending, at: this.#clock.elapsed() };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#kill();
    await this.#userDeps?.[Symbol.asyncDispose]?.();
  }

  /** Run everything that can run: deliveries, then timers in virtual-time order, until nothing moves. */
  async #settle(): Promise<boolean> {
    const horizon = this.#options.horizonMs ?? 3600_000;
    const maxRounds = this.#options.maxRounds ?? 20_000;
    for (let round = 0; round < maxRounds; round++) {
      // One macrotask turn: every promise chain the in-memory stores and handlers started has run.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#broker.pump() > 0) continue;
      if (this.#clock.elapsed() >= horizon) return false;
      const nextDue = this.#broker.nextDue();
      if (this.#clock.pending === 0 && nextDue === undefined) return true;
      if (this.#clock.pending > 0) this.#clock.fireNext();
      else if (nextDue !== undefined) this.#advanceTo(nextDue);
    }
    return false;
  }

  #advanceTo(due: number): void {
    // A waiting redelivery with no timer in between: register one so the clock moves there.
    this.#clock.forOwner(BROKER_OWNER).setTimer(() => {}, due - this.#clock.now());
    this.#clock.fireNext();
  }

  // --- broker steps -------------------------------------------------------------------------------------

  #applyBrokerStep(step: BrokerStep): void {
    switch (step.kind) {
      case 'publish':
        this.#publish(step.event, 'confirmed', true);
        return;
      case 'invalid':
        this.#publish(step.event, 'confirmed', true);
        this.#fault('invalid-payload', step.event);
        return;
      case 'lose-confirm':
        this.#publish(step.event, 'unknown', step.stored);
        this.#fault('lost-confirm', step.event);
        return;
      case 'duplicate':
        this.#duplicate(step.event, step.via);
        return;
      case 'reorder': {
        const group = this.#broker.group(this.#target.spec);
        const moved = this.#published.get(step.event)?.stored;
        const before = this.#published.get(step.before)?.stored;
        if (group && moved && before && this.#broker.reorder(group, moved.seq, before.seq)) {
          this.#fault('reorder', step.event);
        }
        return;
      }
    }
  }

  #publish(ref: EventRef, outcome: 'confirmed' | 'unknown', store: boolean): void {
    const planned = this.#planned(ref);
    const prepared = prepareEvent(this.#publishRuntime, this.#target.publication, acceptAll, planned.payload);
    const message = prepared.messages[0]!;
    const eventId = prepared.envelope.event_id;
    this.#refs.set(eventId, ref);
    const stored = store ? this.#broker.publish(message, ref) : undefined;
    this.#published.set(ref, { eventId, message, copies: 0, ...(stored ? { stored } : {}) });
    this.#record({ type: 'published', eventId, event: ref, outcome, copy: 0 });
  }

  #duplicate(ref: EventRef, via: 'publisher-retry' | 'redelivery'): void {
    const published = this.#published.get(ref);
    if (!published) return;
    if (via === 'publisher-retry') {
      published.copies++;
      const stored = this.#broker.publish(published.message, ref);
      published.stored ??= stored;
      this.#record({
        type: 'published',
        eventId: published.eventId,
        event: ref,
        outcome: 'confirmed',
        copy: published.copies,
      });
      this.#fault('duplicate', ref);
      return;
    }
    const group = this.#broker.group(this.#target.spec);
    if (group && published.stored && this.#broker.redeliver(group, published.stored.seq))
      this.#fault('redelivery', ref);
  }

  #planned(ref: EventRef): PlannedEvent {
    const planned = this.#plan.events.get(ref);
    if (!planned) throw new Error(`schedule names ${ref}, which the plan does not define`);
    return planned;
  }

  // --- consumer processes -------------------------------------------------------------------------------

  async #startProcess(): Promise<void> {
    const process: Process = { id: this.#process.id + 1, dead: false };
    const first = this.#process.id === 0;
    this.#process = process;
    if (!first) this.#record({ type: 'restarted', consumer: process.id });
    const dead = () => process.dead;
    const clock = this.#clock.forOwner(process.id);
    const context: VariantContext = {
      spec: this.#target.spec,
      publish: (messages: readonly OutgoingMessage[]) => this.#servicePublish(process, messages),
      currentEvent: () => {
        const inFlight = this.#context.getStore()?.inFlight;
        if (!inFlight) return undefined;
        try {
          return decodeDeliveryBody(inFlight.pending.stored.message.body);
        } catch {
          return undefined;
        }
      },
    };
    let transport: Transport = {
      kind: 'memory',
      publish: (messages) => this.#servicePublish(process, messages),
      subscribe: async (spec, handler) => {
        if (!process.dead) this.#broker.subscribe(process.id, spec, handler);
        return { stop: async () => {} };
      },
      close: async () => {},
    };
    if (this.#variant?.transport) transport = this.#variant.transport(transport, context);
    let idempotency: IdempotencyStore = frozenWhenDead(this.#idempotency.asOwner(), dead);
    if (this.#variant?.idempotency) idempotency = this.#variant.idempotency(idempotency, context);
    let ordering: OrderingStore = frozenWhenDead(this.#ordering, dead);
    if (this.#variant?.ordering) ordering = this.#variant.ordering(ordering, context);
    const runtime: Runtime = {
      service: { name: this.#target.service, version: '1.0.0' },
      transport,
      idempotency,
      ordering,
    };
    const progress = frozenWhenDead(this.#recordingProgress(), dead);
    const deps = {
      ...this.#userDeps,
      ...this.#givenDeps,
      runtime,
      progress,
      ...(this.#modules.createPublisher ? { publisher: this.#modules.createPublisher(runtime) } : {}),
    };
    const handlers = { ...buildHandlers(this.#modules, deps, this.#target) };
    const operation = this.#target.operation;
    let handler = this.#recordingHandler(process, handlers[operation] as EventHandler<unknown>);
    if (this.#variant?.handler) handler = this.#variant.handler(handler, context);
    handlers[operation] = handler as EventHandler<never>;
    await this.#modules.startConsumer(runtime, handlers, {
      clock,
      probe: (point) => this.#probe(process, point),
      orderingPollIntervalMs: this.#options.orderingPollIntervalMs ?? 5000,
      shutdownGraceMs: 0,
    });
  }

  #kill(): void {
    const process = this.#process;
    if (process.dead) return;
    process.dead = true;
    this.#broker.kill(process.id);
    this.#clock.dropOwner(process.id);
  }

  #probe(process: Process, point: PipelinePoint): void | Promise<void> {
    if (process.dead) return never();
    const context = this.#context.getStore();
    if (!context || point.spec !== this.#target.spec || context.inFlight.group.spec !== this.#target.spec)
      return;
    const { inFlight } = context;
    if (point.stage === 'after-commit') this.#recordDelivery('committed', inFlight);
    if (point.stage === 'before-handler' && this.#armedDrop) {
      this.#armedDrop = false;
      this.#record({ type: 'connection-dropped', consumer: process.id });
      this.#fault('connection-drop', this.#refs.get(inFlight.pending.stored.message.eventId));
      this.#broker.dropConnection(process.id);
    }
    if (point.stage !== 'delivered' && point.stage === this.#armedCrash) {
      this.#armedCrash = undefined;
      const eventId = inFlight.pending.stored.message.eventId;
      const event = this.#refs.get(eventId);
      this.#record({
        type: 'crashed',
        consumer: process.id,
        point: point.stage,
        eventId,
        ...(event ? { event } : {}),
      });
      this.#fault(`crash-${point.stage}`, event);
      this.#kill();
      return never();
    }
  }

  /** The handler under test, with the schedule's behaviours (slow, fail, poison) and history records. */
  #recordingHandler(process: Process, handler: EventHandler<unknown>): EventHandler<unknown> {
    return async (event, context) => {
      const inFlight = this.#context.getStore()?.inFlight;
      const ref = this.#refs.get(event.event_id);
      if (!inFlight) return handler(event, context);
      this.#recordDelivery('handler-started', inFlight);
      try {
        if (ref !== undefined) await this.#behave(ref, inFlight, context.signal);
        await handler(event, context);
      } catch (error) {
        if (process.dead) return never();
        this.#recordDelivery('handler-finished', inFlight, { ok: false, error: errorText(error) });
        throw error;
      }
      if (process.dead) return never();
      this.#recordDelivery('handler-finished', inFlight, { ok: true });
    };
  }

  async #behave(ref: EventRef, inFlight: InFlight, signal: AbortSignal): Promise<void> {
    const planned = this.#planned(ref);
    const run = (this.#runs.get(ref) ?? 0) + 1;
    this.#runs.set(ref, run);
    if (planned.slow && run === 1) {
      // Past the broker's processing timeout the broker hands the event out again; the handler is still on it.
      const timeout = this.#target.spec.handlerTimeoutMs;
      this.#clock.forOwner(BROKER_OWNER).setTimer(() => {
        if (inFlight.orphaned) return;
        this.#broker.redeliverInFlight(inFlight);
        this.#fault('slow-handler', ref);
      }, timeout / 3);
      await sleep(this.#clock.forOwner(inFlight.consumer), (2 * timeout) / 3, signal);
    }
    if (run <= planned.failures) {
      this.#fault(planned.failures === Number.POSITIVE_INFINITY ? 'poison' : 'transient-failure', ref);
      throw new Error(
        `injected failure ${run}${Number.isFinite(planned.failures) ? ` of ${planned.failures}` : ''} for ${ref}`,
      );
    }
  }

  async #servicePublish(process: Process, messages: readonly OutgoingMessage[]): Promise<void> {
    if (process.dead) return never();
    const inFlight = this.#context.getStore()?.inFlight;
    for (const message of messages) {
      // The runtime copies the envelope's causation id into the message headers (headers.ts).
      const causationId = message.headers[HEADER.causationId];
      this.#record({
        type: 'follow-up-published',
        eventId: message.eventId,
        eventType: message.eventType,
        ...(causationId ? { causationId } : {}),
        ...(inFlight && inFlight.group.spec === this.#target.spec ? { delivery: inFlight.id } : {}),
        consumer: process.id,
      });
      this.#broker.publish(message);
    }
  }

  #recordingProgress(): ProgressTracking {
    const tracker = this.#progress;
    return {
      init: (id, total) => tracker.init(id, total),
      setTotal: (id, total) => tracker.setTotal(id, total),
      get: (id) => tracker.get(id),
      markItemDone: async (job, item, isError) => {
        const result = await tracker.markItemDone(job, item, isError);
        const inFlight = this.#context.getStore()?.inFlight;
        this.#record({
          type: 'progress-marked',
          job,
          item,
          outcome: result.outcome,
          completed: result.completed,
          failed: result.failed,
          total: result.total,
          ...(inFlight ? { delivery: inFlight.id } : {}),
        });
        return result;
      },
    };
  }

  // --- history ------------------------------------------------------------------------------------------

  #onDelivered(inFlight: InFlight): void {
    if (inFlight.group.spec === this.#target.spec) this.#recordDelivery('delivered', inFlight);
  }

  #onSettled(inFlight: InFlight, outcome: Outcome): void {
    if (inFlight.group.spec !== this.#target.spec) return;
    if (outcome.kind === 'ack') this.#recordDelivery('acked', inFlight);
    else if (outcome.kind === 'retry')
      this.#recordDelivery('retried', inFlight, { delayMs: outcome.delayMs, error: outcome.error });
    else {
      const eventId = inFlight.pending.stored.message.eventId;
      const event = this.#refs.get(eventId);
      this.#record({
        type: 'dead-lettered',
        eventId,
        ...(event ? { event } : {}),
        delivery: inFlight.id,
        attempt: inFlight.pending.attempt,
        reason: outcome.reason,
        error: outcome.error,
        address: this.#target.spec.deadLetter.address,
      });
    }
  }

  #recordDelivery(type: 'delivered' | 'handler-started' | 'committed' | 'acked', inFlight: InFlight): void;
  #recordDelivery(type: 'handler-finished', inFlight: InFlight, extra: { ok: boolean; error?: string }): void;
  #recordDelivery(type: 'retried', inFlight: InFlight, extra: { delayMs: number; error: string }): void;
  #recordDelivery(type: string, inFlight: InFlight, extra: object = {}): void {
    const eventId = inFlight.pending.stored.message.eventId;
    const event = this.#refs.get(eventId);
    this.#record({
      type,
      eventId,
      ...(event ? { event } : {}),
      consumer: inFlight.consumer,
      attempt: inFlight.pending.attempt,
      delivery: inFlight.id,
      ...extra,
    } as HistoryEvent);
  }

  #fault(fault: FaultKind, event: EventRef | undefined): void {
    const eventId = event ? this.#published.get(event)?.eventId : undefined;
    this.#record({ type: 'fault', fault, ...(event ? { event } : {}), ...(eventId ? { eventId } : {}) });
  }

  #record(entry: DistributiveOmit<HistoryEvent, 'at'>): void {
    this.#history.push({ ...entry, at: this.#clock.elapsed() } as HistoryEvent);
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
