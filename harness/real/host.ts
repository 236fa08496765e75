/**
 * A consumer host: the child process in which `eventwire test --brokers local|containers` runs a service's
 * generated consumer and its own handlers on real brokers, so that a scheduled crash is a real SIGKILL of a real
 * process. One host serves a suite: it loads the service's modules once and runs one consumer per run (`start`
 * … `stop`), reused across runs until a crash kills it. It records what happens at the pipeline's probe points,
 * in the handler and at the transport (deliveries and the outcomes handed to the broker) and sends each record
 * to the parent at once, stamped with the wall clock.
 *
 * Started by host-process.ts with an IPC channel; messages are in protocol.ts.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type ConsumerHandle,
  createDaprTransport,
  type DaprTransport,
  redisAttemptTracker,
  createRedisStreamsTransport,
  decodeDeliveryBody,
  type Delivery,
  type Destination,
  type DeliveryHandler,
  type EventEnvelope,
  type EventHandler,
  HEADER,
  type IdempotencyStore,
  MemoryIdempotencyStore,
  type OrderingStore,
  type OutgoingMessage,
  type Outcome,
  type PipelinePoint,
  PostgresIdempotencyStore,
  ProgressTracker,
  type ProgressTracking,
  RedisIdempotencyStore,
  RedisOrderingStore,
  type Runtime,
  type SubscriptionSpec,
  type Transport,
} from 'eventwire/runtime';
import { createRabbitMqTransport } from 'eventwire/runtime/transports/rabbitmq/index';
import { Redis } from 'ioredis';
import pg from 'pg';
import { variantNamed } from '../catalogue/index.ts';
import { buildHandlers, loadServiceModules, type ServiceModules } from '../engine/service-modules.ts';
import type { CrashPoint, FaultKind, RuntimeVariant, SuiteTarget, VariantContext } from '../engine/types.ts';
import { onAmqp, subscriptionOnAmqp, taggedDestination, taggedSubscription } from './amqp-names.ts';
import type { FromHost, HostEvent, HostRecord, HostRunConfig, ToHost } from './protocol.ts';
import { wallNow } from './protocol.ts';
import { redisProcessingTimeoutMs, scaledClock, scaledLeaseMs, scaledSpec } from './scale.ts';

const NEVER = new Promise<never>(() => {});

function send(message: FromHost): void {
  process.send?.(message);
}

interface DeliveryContext {
  readonly id: string;
  readonly delivery: Delivery;
  readonly target: boolean;
  readonly eventId: string;
  readonly attempt: number;
}

const quietLogger = { warn: () => {}, error: () => {} };

/** How much of the scaled handler timeout a `slow` first run may take at most (it stays under the timeout). */
const SLOW_RUN_SHARE = 0.8;

/** A `slow` first run in progress: its event was redelivered (a fault recorded) and how to let it go on. */
interface SlowRun {
  redelivered: boolean;
  readonly release: () => void;
}

class HostRun {
  readonly #target: SuiteTarget;
  readonly #modules: ServiceModules;
  readonly #config: HostRunConfig;
  readonly #variant: RuntimeVariant | undefined;
  readonly #context = new AsyncLocalStorage<DeliveryContext>();
  readonly #events = new Map<string, HostEvent & { runs: number }>();
  readonly #closers: (() => Promise<unknown>)[] = [];
  #consumer: ConsumerHandle | undefined;
  #dead = false;
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;
  #armedCrash: CrashPoint | undefined;
  #armedDrop = false;
  #dropDone: (() => void) | undefined;
  #nextDelivery = 1;
  /** `slow` first runs being held, by event id. */
  readonly #slowRuns = new Map<string, SlowRun>();

  constructor(target: SuiteTarget, modules: ServiceModules, config: HostRunConfig) {
    this.#target = target;
    this.#modules = modules;
    this.#config = config;
    this.#variant = config.variant === undefined ? undefined : variantNamed(config.variant);
    this.addEvents(config.events);
  }

  addEvents(events: readonly HostEvent[]): void {
    for (const event of events) this.#events.set(event.eventId, { ...event });
  }

  hold(): void {
    this.#held ??= new Promise<void>((resolve) => {
      this.#release = resolve;
    });
  }

  release(): void {
    this.#release?.();
    this.#held = undefined;
    this.#release = undefined;
  }

  armCrash(point: CrashPoint): void {
    this.#armedCrash = point;
  }

  armDrop(): void {
    this.#armedDrop = true;
  }

  dropped(): void {
    this.#dropDone?.();
    this.#dropDone = undefined;
  }

  /** Dapr: the app server's URL once it listens. */
  appUrl: string | undefined;
  #dapr: DaprTransport | undefined;

  async start(): Promise<void> {
    const config = this.#config;
    const target = this.#target;
    const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
    if (redis) this.#closers.push(() => redis.quit().catch(() => redis.disconnect()));
    const real = await this.#openTransport(redis);
    this.#closers.unshift(() => real.close());
    const context: VariantContext = {
      spec: target.spec,
      publish: (messages) => transport.publish(messages),
      currentEvent: () => this.#currentEvent(),
    };
    let transport: Transport = this.#recordingTransport(real);
    if (this.#variant?.transport) transport = this.#variant.transport(transport, context);
    let idempotency = await this.#idempotencyStore(redis);
    if (this.#variant?.idempotency) idempotency = this.#variant.idempotency(idempotency, context);
    let ordering: OrderingStore | undefined = redis
      ? new RedisOrderingStore(redis, { prefix: `${config.redisPrefix}seq:` })
      : undefined;
    if (ordering && this.#variant?.ordering) ordering = this.#variant.ordering(ordering, context);
    const runtime: Runtime = {
      service: { name: target.service, version: '1.0.0' },
      transport,
      idempotency,
      ...(ordering ? { ordering } : {}),
    };
    const userDeps = await this.#modules.handlers.createHarnessDeps?.({
      mode: config.mode,
      target,
      endpoints: config.endpoints,
      runId: config.runId,
      // The run's names, so the module's stores land in the run's schema (runDatabase); the parent disposes them.
      isolation: {
        runId: config.runId,
        redisPrefix: config.redisPrefix,
        ...(config.pgSchema ? { pgSchema: config.pgSchema } : {}),
        [Symbol.asyncDispose]: async () => {},
      },
    });
    if (userDeps?.[Symbol.asyncDispose])
      this.#closers.push(async () => {
        await userDeps[Symbol.asyncDispose]!();
      });
    const progress = redis
      ? this.#recordingProgress(new ProgressTracker(redis, { prefix: `${config.redisPrefix}progress:` }))
      : undefined;
    const deps = {
      ...userDeps,
      runtime,
      ...(progress ? { progress } : {}),
      ...(this.#modules.createPublisher ? { publisher: this.#modules.createPublisher(runtime) } : {}),
    };
    const handlers = { ...buildHandlers(this.#modules, deps as never, target) };
    let handler = this.#recordingHandler(handlers[target.operation] as EventHandler<unknown>);
    if (this.#variant?.handler) handler = this.#variant.handler(handler, context);
    handlers[target.operation] = handler as EventHandler<never>;
    this.#consumer = await this.#modules.startConsumer(runtime, handlers, {
      clock: scaledClock(config.timeScale),
      probe: (point) => this.#probe(point),
      leaseMs: scaledLeaseMs(target.spec, config.timeScale),
      shutdownGraceMs: 0,
      idempotencyStores: { [target.spec.idempotency.store]: idempotency },
      onError: () => {},
    });
    // As daprd does at start-up: the app listens once its subscriptions are known, and the sidecar connects.
    if (this.#dapr) this.appUrl = `http://127.0.0.1:${await this.#dapr.listen()}`;
  }

  async stop(): Promise<void> {
    this.release();
    this.dropped();
    for (const slow of [...this.#slowRuns.values()]) slow.release();
    await this.#consumer?.stop();
    for (const close of this.#closers) await close().catch(() => undefined);
  }

  async #openTransport(redis: Redis | undefined): Promise<Transport> {
    const { config, spec } = { config: this.#config, spec: this.#target.spec };
    const scale = config.timeScale;
    if (this.#target.transport === 'dapr') {
      // The app side of Dapr: the sidecar is the parent's. Delivery counts live in Redis so that a restarted
      // consumer process continues them, as replicas do.
      this.#dapr = createDaprTransport({
        httpPort: config.daprHttpPort!,
        appPort: 0,
        listen: 'manual',
        appId: this.#target.service,
        sidecarRetryIntervalMs: config.daprRetryIntervalMs ?? 1000,
        ...(redis
          ? { attempts: redisAttemptTracker(redis, { prefix: `${config.redisPrefix}dapr-attempts:` }) }
          : {}),
        logger: quietLogger,
      });
      return this.#dapr;
    }
    if (this.#target.transport === 'rabbitmq') {
      return createRabbitMqTransport({
        url: config.transportUrl,
        connectionName: `eventwire-test-${config.runId}-${config.consumer}`,
        stopTimeoutMs: 2000,
        publishTimeoutMs: 10_000,
        reconnect: { initialDelayMs: 20, maxDelayMs: 200, initialMaxRetries: 5 },
      });
    }
    // Broker-side timings follow the scaled contract too: an entry a dead consumer held is reclaimed after the
    // processing timeout, looked for every claim interval.
    const processingTimeoutMs = redisProcessingTimeoutMs(spec, scale);
    return createRedisStreamsTransport({
      url: config.transportUrl,
      streamPrefix: `${config.redisPrefix}s:`,
      consumerName: `consumer-${config.consumer}`,
      blockMs: 100,
      processingTimeoutMs,
      claimIntervalMs: Math.max(100, Math.round(processingTimeoutMs / 4)),
      logger: quietLogger,
      redisOptions: { maxRetriesPerRequest: null, retryStrategy: () => 20 },
    });
  }

  async #idempotencyStore(redis: Redis | undefined): Promise<IdempotencyStore> {
    const config = this.#config;
    switch (this.#target.spec.idempotency.store) {
      case 'postgres': {
        const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
        this.#closers.push(() => pool.end());
        const store = new PostgresIdempotencyStore(pool, {
          ...(config.pgSchema ? { schema: config.pgSchema } : {}),
        });
        await store.migrate();
        return store;
      }
      case 'memory':
        return new MemoryIdempotencyStore();
      default:
        if (!redis) throw new Error('the Redis idempotency store needs REDIS_URL');
        return new RedisIdempotencyStore(redis, { prefix: `${config.redisPrefix}idem:` });
    }
  }

  // --- recording ------------------------------------------------------------------------------------------

  #record(record: DistributiveRecord): void {
    if (this.#dead) return;
    send({ type: 'record', record: { ...record, wall: wallNow() } as HostRecord });
  }

  #fault(fault: FaultKind, eventId: string): void {
    const ref = this.#events.get(eventId)?.ref;
    this.#record({ type: 'fault', fault, eventId, ...(ref ? { event: ref } : {}) });
  }

  #ofDelivery(context: DeliveryContext) {
    const ref = this.#events.get(context.eventId)?.ref;
    return {
      eventId: context.eventId,
      ...(ref ? { event: ref } : {}),
      consumer: this.#config.consumer,
      attempt: context.attempt,
      delivery: context.id,
    };
  }

  #currentEvent(): EventEnvelope<unknown> | undefined {
    const context = this.#context.getStore();
    if (!context) return undefined;
    try {
      return decodeDeliveryBody(context.delivery.body);
    } catch {
      return undefined;
    }
  }

  /** The real transport with the run's names, scaled durations, and a record of deliveries and outcomes. */
  #recordingTransport(real: Transport): Transport {
    const tag = this.#config.amqpTag;
    const scale = this.#config.timeScale;
    const targetName = this.#target.spec.name;
    const amqp = this.#target.transport === 'rabbitmq';
    return {
      kind: real.kind,
      publish: (messages) => {
        const context = this.#context.getStore();
        for (const message of messages) {
          const causationId = message.headers[HEADER.causationId];
          this.#record({
            type: 'follow-up-published',
            eventId: message.eventId,
            eventType: message.eventType,
            ...(causationId ? { causationId } : {}),
            ...(context?.target ? { delivery: context.id } : {}),
            consumer: this.#config.consumer,
          });
        }
        const renamed: OutgoingMessage[] = messages.map((message) => ({
          ...message,
          destination: this.#onBroker(message.destination),
        }));
        return this.#dead ? NEVER : real.publish(renamed);
      },
      subscribe: (spec: SubscriptionSpec, handler: DeliveryHandler) => {
        let onBroker = scaledSpec(spec, scale);
        if (amqp) onBroker = subscriptionOnAmqp(onBroker);
        if (tag !== undefined) onBroker = taggedSubscription(onBroker, tag);
        return real.subscribe(onBroker, (delivery) =>
          this.#deliver(spec.name === targetName, delivery, handler),
        );
      },
      close: () => real.close(),
    };
  }

  /** Where a message goes on the run's broker: topics as fanout exchanges on RabbitMQ, the run's tag added. */
  #onBroker(destination: Destination): Destination {
    if (this.#target.transport !== 'rabbitmq') return destination;
    const tag = this.#config.amqpTag;
    return tag === undefined ? onAmqp(destination) : taggedDestination(onAmqp(destination), tag);
  }

  async #deliver(target: boolean, delivery: Delivery, handler: DeliveryHandler): Promise<Outcome> {
    if (this.#dead) return NEVER;
    // A burst is on the broker before the consumer sees any of it.
    if (this.#held) await this.#held;
    let eventId = '';
    try {
      eventId = decodeDeliveryBody(delivery.body).event_id;
    } catch {
      eventId = delivery.headers.event_id ?? delivery.id;
    }
    const context: DeliveryContext = {
      id: `c${this.#config.consumer}-d${this.#nextDelivery++}`,
      delivery,
      target,
      eventId,
      attempt: delivery.attempt,
    };
    if (target) this.#record({ type: 'delivered', ...this.#ofDelivery(context) });
    // The broker delivers a slow event again while its first run is held: the fault the schedule asked for.
    const slow = target ? this.#slowRuns.get(eventId) : undefined;
    if (slow && !slow.redelivered) {
      slow.redelivered = true;
      this.#fault('slow-handler', eventId);
    }
    let outcome = await this.#context.run(context, () => handler(delivery));
    // That copy has had its answer (a wait for the held idempotency claim): the first run goes on.
    slow?.release();
    if (this.#dead) return NEVER;
    if (outcome.kind === 'retry')
      outcome = { ...outcome, delayMs: Math.round(outcome.delayMs * this.#config.timeScale) };
    if (!target) return outcome;
    if (outcome.kind === 'ack') this.#record({ type: 'acked', ...this.#ofDelivery(context) });
    else if (outcome.kind === 'retry')
      this.#record({
        type: 'retried',
        ...this.#ofDelivery(context),
        delayMs: outcome.delayMs,
        error: outcome.error,
      });
    else {
      const ref = this.#events.get(eventId)?.ref;
      this.#record({
        type: 'dead-lettered',
        eventId,
        ...(ref ? { event: ref } : {}),
        delivery: context.id,
        attempt: delivery.attempt,
        reason: outcome.reason,
        error: outcome.error,
        address: this.#target.spec.deadLetter.address,
      });
    }
    return outcome;
  }

  #probe(point: PipelinePoint): void | Promise<void> {
    if (this.#dead) return NEVER;
    const context = this.#context.getStore();
    if (!context?.target || point.spec.name !== this.#target.spec.name) return;
    if (point.stage === 'after-commit') this.#record({ type: 'committed', ...this.#ofDelivery(context) });
    if (point.stage !== 'delivered' && point.stage === this.#armedCrash) {
      this.#armedCrash = undefined;
      const ref = this.#events.get(context.eventId)?.ref;
      // The parent records the crash and kills this process; nothing here runs on.
      send({
        type: 'crash',
        record: {
          type: 'crashed',
          consumer: this.#config.consumer,
          point: point.stage,
          eventId: context.eventId,
          ...(ref ? { event: ref } : {}),
          wall: wallNow(),
        },
      });
      this.#dead = true;
      return NEVER;
    }
    if (point.stage === 'before-handler' && this.#armedDrop) {
      this.#armedDrop = false;
      // The parent cuts this process' broker connections at its fault proxy, then lets the handler go on.
      const done = new Promise<void>((resolve) => {
        this.#dropDone = resolve;
      });
      send({ type: 'drop', wall: wallNow(), eventId: context.eventId });
      return done;
    }
  }

  /** The handler under test, with the schedule's behaviours (slow, fail N times, poison) and history records. */
  #recordingHandler(handler: EventHandler<unknown>): EventHandler<unknown> {
    return async (event, handlerContext) => {
      const context = this.#context.getStore();
      if (!context?.target) return handler(event, handlerContext);
      this.#record({ type: 'handler-started', ...this.#ofDelivery(context) });
      try {
        const planned = this.#events.get(event.event_id);
        if (planned) {
          planned.runs++;
          if (planned.slow && planned.runs === 1) await this.#slowRun(event.event_id, handlerContext.signal);
          const always = planned.failures < 0;
          if (always || planned.runs <= planned.failures) {
            this.#fault(always ? 'poison' : 'transient-failure', event.event_id);
            throw new Error(
              `injected failure ${planned.runs}${always ? '' : ` of ${planned.failures}`} for ${planned.ref}`,
            );
          }
        }
        await handler(event, handlerContext);
      } catch (error) {
        if (this.#dead) return NEVER;
        this.#record({
          type: 'handler-finished',
          ...this.#ofDelivery(context),
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
      if (this.#dead) return NEVER;
      this.#record({ type: 'handler-finished', ...this.#ofDelivery(context), ok: true });
    };
  }

  /**
   * The first run of a `slow` event: held until the broker's next copy of the event has had its answer, at most
   * SLOW_RUN_SHARE of the scaled handler timeout (the parent arranged that copy: harness/rea./dapr-reads.ts).
   */
  async #slowRun(eventId: string, signal: AbortSignal): Promise<void> {
    const limitMs = this.#target.spec.handlerTimeoutMs * this.#config.timeScale * SLOW_RUN_SHARE;
    await new Promise<void>((resolve) => {
      const release = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', release);
        this.#slowRuns.delete(eventId);
        resolve();
      };
      const timer = setTimeout(release, limitMs);
      signal.addEventListener('abort', release, { once: true });
      this.#slowRuns.set(eventId, { redelivered: false, release });
    });
  }

  #recordingProgress(tracker: ProgressTracking): ProgressTracking {
    return {
      init: (id, total) => tracker.init(id, total),
      setTotal: (id, total) => tracker.setTotal(id, total),
      get: (id) => tracker.get(id),
      markItemDone: async (job, item, isError) => {
        const result = await tracker.markItemDone(job, item, isError);
        const context = this.#context.getStore();
        this.#record({
          type: 'progress-marked',
          job,
          item,
          outcome: result.outcome,
          completed: result.completed,
          failed: result.failed,
          total: result.total,
          ...(context?.target ? { delivery: context.id } : {}),
        });
        return result;
      },
    };
  }
}

type DistributiveRecord = HostRecord extends infer R ? (R extends unknown ? Omit<R, 'wall'> : never) : never;

// --- the process ------------------------------------------------------------------------------------------

let target: SuiteTarget | undefined;
let modules: ServiceModules | undefined;
let run: HostRun | undefined;

const debug = process.env.EW_HOST_DEBUG
  ? (line: string) => process.stderr.write(`[host ${process.pid}] ${line}\n`)
  : () => {};

async function handle(message: ToHost): Promise<void> {
  debug(`${message.type} ${message.type === 'start' ? message.config.redisPrefix : ''}`);
  switch (message.type) {
    case 'init':
      target = message.target;
      modules = await loadServiceModules(target);
      send({ type: 'ready' });
      return;
    case 'start':
      run = new HostRun(target!, modules!, message.config);
      await run.start();
      send({ type: 'started', ...(run.appUrl ? { appUrl: run.appUrl } : {}) });
      return;
    case 'events':
      run?.addEvents(message.events);
      send({ type: 'ack' });
      return;
    case 'hold':
      run?.hold();
      send({ type: 'ack' });
      return;
    case 'release':
      run?.release();
      send({ type: 'ack' });
      return;
    case 'arm-crash':
      run?.armCrash(message.point);
      send({ type: 'ack' });
      return;
    case 'arm-drop':
      run?.armDrop();
      send({ type: 'ack' });
      return;
    case 'dropped':
      run?.dropped();
      return;
    case 'stop':
      await run?.stop();
      run = undefined;
      send({ type: 'stopped' });
      return;
  }
}

process.on('message', (message: ToHost) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
});
// The parent going away ends the host: it never outlives the run it serves.
process.on('disconnect', () => process.exit(0));
