/**
 * The harness engine's interfaces: what a fault schedule is made of (steps), what a run records (history), and
 * what a broker mode provides (a provider of brokers, and a driver that runs one schedule against one
 * subscription). The memory mode (harness/memory/) and the real-broker modes implement the same interfaces, so
 * the generator of schedules, the checker and the reporters never know which brokers ran.
 *
 * Keep this file stable: broker modes are built against it. A change goes in a commit of its own that says so.
 */
import type {
  EventEnvelope,
  EventHandler,
  IdempotencyStore,
  OrderingStore,
  Outcome,
  PipelineStage,
  PublicationSpec,
  Runtime,
  SubscriptionSpec,
  Transport,
} from 'eventwire/runtime';
import type { ProgressTracking } from '../../runtime/progress.ts';

// ---------------------------------------------------------------------------------------------------------------
// Steps: a fault schedule as data
// ---------------------------------------------------------------------------------------------------------------

/** Events of a run are named `e1`, `e2`, ... in the order the schedule first publishes them. */
export type EventRef = `e${number}`;

/** Where a scheduled crash kills the consumer: the pipeline's stages after the delivery (see PipelineStage). */
export type CrashPoint = Exclude<PipelineStage, 'delivered'>;

/** `publish e1 key=k1 seq=1`: the harness publishes a contract-valid event. */
export interface PublishStep {
  readonly kind: 'publish';
  readonly event: EventRef;
  /** Ordering key and sequence, on subscriptions whose channel declares ordering. */
  readonly key?: string;
  readonly seq?: number;
  /** Index into the suite's pool of contract-valid payloads (see SuiteTarget.payloads). */
  readonly payload: number;
}

/**
 * `publish e2 key=k1 seq=2, confirm lost (the broker kept it)`: the publish is sent but its confirmation never
 * comes back, so the publisher cannot know whether the broker has it. `stored` says what the broker did: modes
 * that can choose (memory) follow it; real brokers record what really happened.
 */
export interface LoseConfirmStep {
  readonly kind: 'lose-confirm';
  readonly event: EventRef;
  readonly key?: string;
  readonly seq?: number;
  readonly payload: number;
  readonly stored: boolean;
}

/** `publish e3 with an invalid payload (...)`: a payload that breaks the contract schema, sent around validation. */
export interface InvalidStep {
  readonly kind: 'invalid';
  readonly event: EventRef;
  /** Index into the suite's pool of schema violations (SuiteTarget.invalidPayloads). */
  readonly payload: number;
}

/**
 * `duplicate e1`: the same envelope (same `event_id`) arrives again. `publisher-retry`: the publisher sent it a
 * second time (a new broker message); `redelivery`: the broker delivers the same message twice.
 */
export interface DuplicateStep {
  readonly kind: 'duplicate';
  readonly event: EventRef;
  readonly via: 'publisher-retry' | 'redelivery';
}

/** `reorder e2 before e1`: within one burst, the broker delivers `event` ahead of `before`. */
export interface ReorderStep {
  readonly kind: 'reorder';
  readonly event: EventRef;
  readonly before: EventRef;
}

/**
 * `crash consumer after handler, before commit`: armed when the step runs; the next delivery to reach `point`
 * kills the consumer there (a real process kill with real brokers). Its in-flight deliveries are abandoned
 * unacknowledged, its claims stay in the store until their lease expires.
 */
export interface CrashStep {
  readonly kind: 'crash';
  readonly point: CrashPoint;
}

/** `restart consumer`: start a new consumer process if the consumer is down (no-op when it is running). */
export interface RestartStep {
  readonly kind: 'restart';
}

/**
 * `drop consumer connection`: armed when the step runs; when the next handler starts, the consumer's broker
 * connection is closed under it. The broker takes back the unacknowledged deliveries and redelivers them while
 * the handlers keep running; the consumer reconnects.
 */
export interface DropConnectionStep {
  readonly kind: 'drop-connection';
}

/**
 * Broker-level faults, only where the brokers are the harness's own (containers mode): `broker-restart` kills the
 * broker (SIGKILL, its data directory kept: Redis AOF, RabbitMQ quorum queues) and starts it again;
 * `broker-pause` freezes it for a moment (clients time out, then recover); `proxy-down` cuts every connection to
 * it for a moment; `proxy-reset` resets them (TCP RST); `proxy-latency` slows every packet from then on.
 */
export type BrokerFault = 'broker-restart' | 'broker-pause' | 'proxy-down' | 'proxy-reset' | 'proxy-latency';

export const BROKER_FAULTS: readonly BrokerFault[] = [
  'broker-restart',
  'broker-pause',
  'proxy-down',
  'proxy-reset',
  'proxy-latency',
];

/** `restart broker`, `pause broker`, ...: a broker fault, applied once the bursts before it have settled. */
export interface BrokerFaultStep {
  readonly kind: 'broker-fault';
  readonly fault: BrokerFault;
}

/**
 * `slow e1`: e1's first handler run outlasts the broker's processing timeout (but not the contract's handler
 * timeout), so the broker redelivers e1 while it is still being handled (dapr/components-contrib#4599).
 */
export interface SlowStep {
  readonly kind: 'slow';
  readonly event: EventRef;
}

/** `fail e1 2 times`: e1's handler throws on its first `times` attempts, then succeeds (a transient error). */
export interface FailStep {
  readonly kind: 'fail';
  readonly event: EventRef;
  readonly times: number;
}

/** `poison e1`: e1's handler throws on every attempt. */
export interface PoisonStep {
  readonly kind: 'poison';
  readonly event: EventRef;
}

/**
 * One step of a schedule. Steps that put messages on the broker (publish, lose-confirm, invalid, duplicate,
 * reorder) form bursts: consecutive ones are applied together, before the consumer gets to any of them.
 * Consumer steps (crash, restart, drop-connection) end a burst: the world runs until settled first. Handler
 * behaviours (slow, fail, poison) hold for the whole run wherever they stand.
 */
export type Step =
  | PublishStep
  | LoseConfirmStep
  | InvalidStep
  | DuplicateStep
  | ReorderStep
  | CrashStep
  | RestartStep
  | DropConnectionStep
  | BrokerFaultStep
  | SlowStep
  | FailStep
  | PoisonStep;

export type StepKind = Step['kind'];

export const BROKER_STEPS = ['publish', 'lose-confirm', 'invalid', 'duplicate', 'reorder'] as const;
export const CONSUMER_STEPS = ['crash', 'restart', 'drop-connection', 'broker-fault'] as const;
export const BEHAVIOUR_STEPS = ['slow', 'fail', 'poison'] as const;
export type BrokerStep = Extract<Step, { kind: (typeof BROKER_STEPS)[number] }>;
export type ConsumerStep = Extract<Step, { kind: (typeof CONSUMER_STEPS)[number] }>;
export type BehaviourStep = Extract<Step, { kind: (typeof BEHAVIOUR_STEPS)[number] }>;

/**
 * The fault kinds a user asks for with `--faults` and the coverage gate checks. A crash is one kind per point,
 * since "no crash ever landed between the effect and the commit" is what the gate must catch.
 */
export type FaultKind =
  | 'duplicate'
  | 'redelivery'
  | 'reorder'
  | 'crash-before-handler'
  | 'crash-after-handler'
  | 'crash-after-commit'
  | 'lost-confirm'
  | 'connection-drop'
  | 'slow-handler'
  | 'transient-failure'
  | 'poison'
  | 'invalid-payload'
  | BrokerFault;

/** Every fault kind, in the order reports list them. */
export const ALL_FAULTS: readonly FaultKind[] = [
  'duplicate',
  'redelivery',
  'reorder',
  'crash-before-handler',
  'crash-after-handler',
  'crash-after-commit',
  'lost-confirm',
  'connection-drop',
  'slow-handler',
  'transient-failure',
  'poison',
  'invalid-payload',
  ...BROKER_FAULTS,
];

// ---------------------------------------------------------------------------------------------------------------
// What a run is about
// ---------------------------------------------------------------------------------------------------------------

/** The receive operation under test. Plain data (module paths, not modules), so a child process can load it. */
export interface SuiteTarget {
  readonly service: string;
  /** operationId of the receive operation (`onCartCheckedOut`). */
  readonly operation: string;
  /** The subscription exactly as generated (`generated/<service>/contract.ts`). */
  readonly spec: SubscriptionSpec;
  /** Absolute path of the generated barrel (`generated/<service>/index.ts`): `start<Service>Consumer`. */
  readonly consumerModule: string;
  /** The export that starts the service's consumers: `startOrderConsumer`. */
  readonly startExport: string;
  /** Absolute path of the module exporting `createHandlers(deps)` (or a `handlers` object). */
  readonly handlersModule: string;
  /** The transport the service runs on in production (from the contract's servers). */
  readonly transport: 'redis-streams' | 'rabbitmq' | 'dapr';
  /**
   * How the harness publishes events this subscription receives: the send operation of the service that
   * publishes them (its destination and ordering key), or one derived from the subscription when no contract
   * sends on the channel.
   */
  readonly publication: PublicationSpec;
  /** Contract-valid payloads (the contract's examples first, then generated ones); steps pick them by index. */
  readonly payloads: readonly unknown[];
  /** Payloads that break the schema, with what is wrong with each (`/quantity: must be integer`). */
  readonly invalidPayloads: readonly { readonly payload: unknown; readonly violation: string }[];
}

/** What the schedule says about one event: its payload, ordering position and handler behaviour. */
export interface PlannedEvent {
  readonly ref: EventRef;
  /** The payload to publish, with the ordering key and sequence already written into it. */
  readonly payload: unknown;
  readonly valid: boolean;
  readonly key?: string;
  readonly seq?: number;
  /** Handler throws on this many first attempts; `Infinity` for a poison event. */
  readonly failures: number;
  readonly slow: boolean;
}

/** One run: a schedule and everything derived from it. */
export interface RunPlan {
  /** Unique per run: isolation names (key prefix, vhost) are derived from it. */
  readonly runId: string;
  readonly steps: readonly Step[];
  readonly events: ReadonlyMap<EventRef, PlannedEvent>;
  /**
   * Factor applied to the contract's durations (retry delays, handler timeout, lease, ordering buffer) for this
   * run; 1 = the contract as written. The checker holds backoff gaps to the scaled contract.
   */
  readonly timeScale: number;
}

// ---------------------------------------------------------------------------------------------------------------
// History: what happened, recorded independently of the runtime's own counters
// ---------------------------------------------------------------------------------------------------------------

/** Identifies one consumer process (incarnation): 1 for the first, +1 on every restart. */
export type ConsumerId = number;

interface At {
  /** Milliseconds since the run started, on the world's clock (virtual in memory mode, scaled time otherwise). */
  readonly at: number;
}

interface OfEvent extends At {
  readonly eventId: string;
  /** The schedule's name for the event; absent for an event the harness never published (unexpected). */
  readonly event?: EventRef;
}

interface OfDelivery extends OfEvent {
  readonly consumer: ConsumerId;
  /** The broker's delivery count (1 = first delivery) as the consumer saw it. */
  readonly attempt: number;
  /** Identifies the delivery within the run (the same for its handler, commit and outcome records). */
  readonly delivery: string;
}

export type HistoryEvent =
  /** The harness published (or republished) an event; `outcome` is what the publisher was told. */
  | (OfEvent & {
      readonly type: 'published';
      readonly outcome: 'confirmed' | 'failed' | 'unknown';
      /** 0 for the first publish, 1+ for publisher retries of the same envelope. */
      readonly copy: number;
    })
  /** The broker handed a message to a consumer. */
  | (OfDelivery & { readonly type: 'delivered' })
  | (OfDelivery & { readonly type: 'handler-started' })
  | (OfDelivery & {
      readonly type: 'handler-finished';
      readonly ok: boolean;
      readonly error?: string;
    })
  /** The idempotency key was committed (the effect is final). */
  | (OfDelivery & { readonly type: 'committed' })
  /** The delivery's outcome was carried out by the broker. */
  | (OfDelivery & { readonly type: 'acked' })
  | (OfDelivery & { readonly type: 'retried'; readonly delayMs: number; readonly error: string })
  /** The broker holds the message in the dead-letter address, with the reason it carries there. */
  | (OfEvent & {
      readonly type: 'dead-lettered';
      /** The delivery whose outcome it was, when the world saw it (memory); real brokers may not know. */
      readonly delivery?: string;
      readonly attempt: number;
      readonly reason: string;
      readonly error: string;
      readonly address: string;
    })
  | (At & {
      readonly type: 'crashed';
      readonly consumer: ConsumerId;
      readonly point: CrashPoint;
      readonly eventId: string;
      readonly event?: EventRef;
    })
  | (At & { readonly type: 'restarted'; readonly consumer: ConsumerId })
  | (At & { readonly type: 'connection-dropped'; readonly consumer: ConsumerId })
  /** The consumer (its handler, or code around it) published an event caused by `causationId`. */
  | (At & {
      readonly type: 'follow-up-published';
      readonly eventId: string;
      readonly eventType: string;
      readonly causationId?: string;
      /** The delivery whose handler published it; absent when published outside any handler run. */
      readonly delivery?: string;
      readonly consumer: ConsumerId;
    })
  /** A probe of the service's own effects (library users): `subject` names what changed (a row, a key). */
  | (OfEvent & { readonly type: 'effect'; readonly subject: string })
  /** A progress tracker mark made by a handler (seed 002's finish line). */
  | (At & {
      readonly type: 'progress-marked';
      readonly job: string;
      readonly item: string;
      readonly outcome: 'running' | 'finished' | 'already-finished';
      readonly completed: number;
      readonly failed: number;
      readonly total: number | null;
      readonly delivery?: string;
    })
  /** A fault the world injected (coverage counts these, not the steps that asked for them). */
  | (At & {
      readonly type: 'fault';
      readonly fault: FaultKind;
      readonly eventId?: string;
      readonly event?: EventRef;
    });

export type HistoryEventType = HistoryEvent['type'];

/** What quiescence looked like when the run ended. */
export interface Quiescence {
  /** False when the world hit its time or delivery horizon with work left (something is stuck). */
  readonly quiet: boolean;
  /** Messages still waiting in the broker or unacknowledged, by event. */
  readonly pending: readonly {
    readonly eventId: string;
    readonly event?: EventRef;
    readonly state: string;
  }[];
  /** World time when the run ended. */
  readonly at: number;
}

/** The outcome the pipeline returned for a delivery, for worlds that see it (memory). */
export type PipelineOutcome = Outcome;

// ---------------------------------------------------------------------------------------------------------------
// Broker modes
// ---------------------------------------------------------------------------------------------------------------

export type BrokerMode = 'memory' | 'local' | 'containers';
export type BrokerKind = 'redis' | 'rabbitmq' | 'postgres';

/** Which brokers the suites need (from the targets' transports and idempotency stores). */
export type BrokerNeeds = ReadonlySet<BrokerKind>;

export interface BrokerEndpoints {
  readonly redisUrl?: string;
  readonly amqpUrl?: string;
  /** RabbitMQ management API, when reachable (vhost creation without rabbitmqctl). */
  readonly amqpManagementUrl?: string;
  readonly databaseUrl?: string;
}

/** Names that keep one run's data apart from every other run on shared brokers. */
export interface Isolation extends AsyncDisposable {
  readonly runId: string;
  /** Redis key prefix for streams, idempotency marks, ordering positions and progress records. */
  readonly redisPrefix?: string;
  /** A fresh RabbitMQ virtual host and the URL that connects to it. */
  readonly amqpVhost?: string;
  readonly amqpUrl?: string;
  /** A fresh PostgreSQL schema. */
  readonly pgSchema?: string;
}

/**
 * Faults only some modes can inject on the brokers themselves (containers: restart or pause a container, cut
 * a connection through a proxy). Absent capabilities are never scheduled.
 */
export interface BrokerFaults {
  restart?(broker: BrokerKind): Promise<void>;
  pause?(broker: BrokerKind, ms: number): Promise<void>;
  cutConnections?(broker: BrokerKind): Promise<void>;
  restoreConnections?(broker: BrokerKind): Promise<void>;
  /** Resets every open connection (TCP RST) and those made within a moment; `addLatency` slows them until `clearNetworkFaults`. */
  resetConnections?(broker: BrokerKind): Promise<void>;
  addLatency?(broker: BrokerKind, latencyMs: number): Promise<void>;
  clearNetworkFaults?(broker: BrokerKind): Promise<void>;
}

/** Brokers ready for runs; `await using brokers = await provider.start(needs)` cleans everything up. */
export interface StartedBrokers extends AsyncDisposable {
  readonly mode: BrokerMode;
  readonly endpoints: BrokerEndpoints;
  /** Fresh names for one run (or one suite); disposing removes what was created under them. */
  isolate(runId: string): Promise<Isolation>;
  readonly faults: BrokerFaults;
}

/**
 * Shaped like testcontainers-node: `start` returns started brokers; a broker that does not answer rejects with
 * a BrokerUnavailableError (which URL, what failed, how to fix), which the CLI turns into exit 2.
 */
export interface BrokerProvider {
  readonly mode: BrokerMode;
  start(needs: BrokerNeeds): Promise<StartedBrokers>;
}

// ---------------------------------------------------------------------------------------------------------------
// Drivers: one schedule against one subscription
// ---------------------------------------------------------------------------------------------------------------

/** The part of a world a step touches. The engine calls these in schedule order; each call resolves when done. */
export interface RunDriver extends AsyncDisposable {
  /** Put one burst of broker steps on the broker before the consumer sees any of them. */
  burst(steps: readonly BrokerStep[]): Promise<void>;
  /** Apply a consumer step (arm a crash or connection drop, restart a crashed consumer). */
  consumer(step: ConsumerStep): Promise<void>;
  /** Run until nothing is in flight or due that can make progress now, advancing (virtual or scaled) time. */
  settle(): Promise<void>;
  /** Restart the consumer if it is down, then settle; report what is left. Ends the run. */
  quiesce(): Promise<Quiescence>;
  /** Everything recorded so far, in the order it happened. */
  history(): readonly HistoryEvent[];
}

/**
 * One subscription under test on one broker mode. Set up once per suite (load modules, start a consumer host)
 * and asked for a driver per run; disposing tears the suite down.
 */
export interface SuiteSession extends AsyncDisposable {
  /** The fault kinds this mode can inject for this target; the generator never schedules others. */
  readonly supports: ReadonlySet<FaultKind>;
  /** A fresh world for one run (consumer started, nothing published yet); dispose it when the run ends. */
  startRun(plan: RunPlan): Promise<RunDriver>;
}

/** A broker mode: how to open a suite on started brokers. */
export interface HarnessBackend {
  readonly mode: BrokerMode;
  openSuite(target: SuiteTarget, brokers: StartedBrokers, options: SuiteOptions): Promise<SuiteSession>;
}

export type HandlerDepsOption =
  | Readonly<Record<string, unknown>>
  | ((runId: string) => Readonly<Record<string, unknown>>);

/** Options every mode honours. */
export interface SuiteOptions {
  readonly timeScale: number;
  /**
   * Dependencies handed to `createHandlers(deps)` besides the publisher (library users: their own database), or
   * a function making them for each run (by run id), so a test can read back the run's effects afterwards.
   */
  readonly handlerDeps?: HandlerDepsOption;
  /** A variant of the runtime to run instead of the correct one (the catalogue of broken consumers). */
  readonly variant?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// The service's handlers, as a user keeps them
// ---------------------------------------------------------------------------------------------------------------

/**
 * What the harness hands `createHandlers(deps)`: the service's runtime and its generated publisher, a progress
 * tracker on the run's brokers, and whatever the handlers module's `createHarnessDeps` adds (a database pool).
 */
export interface HarnessDeps {
  readonly runtime: Runtime;
  /** `create<Service>Publisher(runtime)`, for services that publish. */
  readonly publisher?: unknown;
  readonly progress: ProgressTracking;
  readonly [extra: string]: unknown;
}

/** Passed to a handlers module's `createHarnessDeps`, once per run (the state a run's consumers share). */
export interface HarnessDepsContext {
  readonly mode: BrokerMode;
  readonly target: SuiteTarget;
  readonly endpoints: BrokerEndpoints;
  readonly isolation?: Isolation;
  readonly runId: string;
}

/**
 * The module `generated/<service>/handlers.ts` (or `--handlers MODULE`) is expected to be: `createHandlers`
 * (preferred) or a ready `handlers` object, and optionally `createHarnessDeps` for dependencies the harness
 * cannot know (a database schema to write to): called for every run, shared by the run's consumer processes
 * (it plays the service's database, which outlives a crash), disposed when the run ends.
 */
export interface HandlersModule {
  readonly createHandlers?: (deps: HarnessDeps) => Readonly<Record<string, EventHandler<never>>>;
  readonly handlers?: Readonly<Record<string, EventHandler<never>>>;
  readonly createHarnessDeps?: (
    context: HarnessDepsContext,
  ) => Promise<Readonly<Record<string, unknown>> & Partial<AsyncDisposable>>;
  /**
   * Brokers `createHarnessDeps` uses besides the ones the contract needs (`['postgres']`: the service's stores
   * live in PostgreSQL); real-broker runs start or check them and hand their endpoints and isolation over.
   */
  readonly harnessBrokers?: readonly BrokerKind[];
}

// ---------------------------------------------------------------------------------------------------------------
// Runtime variants: the catalogue of broken consumers
// ---------------------------------------------------------------------------------------------------------------

/** What a variant may replace; every hook is optional and gets the correct piece to wrap. */
export interface VariantContext {
  readonly spec: SubscriptionSpec;
  /** Publish on the service's transport (what a follow-up publisher would call). */
  readonly publish: Transport['publish'];
  /** The envelope of the delivery being processed where this is called, when the mode can tell. */
  readonly currentEvent: () => EventEnvelope<unknown> | undefined;
}

/**
 * One broken consumer, as a small wrapper around a correct piece: the idempotency store, the ordering store,
 * the service's transport (delivery middleware, outcomes) or the handler. Variants are found by name in
 * harness/catalogue/, so a consumer host in a child process applies the same one.
 */
export interface RuntimeVariant {
  readonly name: string;
  /** One line: what is wrong with it. */
  readonly description: string;
  readonly idempotency?: (store: IdempotencyStore, context: VariantContext) => IdempotencyStore;
  readonly ordering?: (store: OrderingStore, context: VariantContext) => OrderingStore;
  readonly transport?: (transport: Transport, context: VariantContext) => Transport;
  readonly handler?: (handler: EventHandler<unknown>, context: VariantContext) => EventHandler<unknown>;
}

// ---------------------------------------------------------------------------------------------------------------
// The checker's verdict
// ---------------------------------------------------------------------------------------------------------------

export type InvariantName =
  | 'lost'
  | 'duplicated-effect'
  | 'order'
  | 'poison'
  | 'invalid'
  | 'healthy'
  | 'finish-line';

/** One broken invariant, about one event (or one job / key), with what was expected and what was seen. */
export interface Violation {
  readonly invariant: InvariantName;
  readonly event?: EventRef;
  readonly subject?: string;
  readonly expected: string;
  readonly observed: string;
}

/** Counts in every report (Jepsen's queue checker, plus the contract's own). */
export interface Counts {
  /** Publishes the harness tried (first publishes, not retries). */
  readonly attempted: number;
  /** Publishes the broker confirmed. */
  readonly confirmed: number;
  /** Deliveries consumers received. */
  readonly delivered: number;
  /** Distinct events whose handler finished successfully. */
  readonly handled: number;
  /** Confirmed publishes neither handled nor dead-lettered. */
  readonly lost: number;
  /** Effects beyond the first per event: explained ones (allowed) plus unexplained ones (failures). */
  readonly duplicated: number;
  /** Of `duplicated`, those no crash or failure between the effect and the commit explains. */
  readonly unexplainedDuplicates: number;
  /** Events handled or dead-lettered that the harness never published. */
  readonly unexpected: number;
  /** Unknown-outcome publishes that were handled after all. */
  readonly recovered: number;
  readonly deadLettered: number;
  /** Effects that came before a lower sequence of the same ordering key. */
  readonly outOfOrder: number;
  /** Healthy events dead-lettered as the faults explain (retry budget spent by crashes, behind a predecessor never processed). */
  readonly excused: number;
}

/** Why a healthy event's dead letter is a consequence of the faults, not a runtime bug (check/excuse.ts). */
export type ExcuseKind = 'retry-budget' | 'ordering-predecessor';

export interface Excuse {
  readonly event: EventRef;
  readonly kind: ExcuseKind;
  /** The dead letter's reason as the broker holds it. */
  readonly reason: string;
  /** Why the faults explain it, in a sentence. */
  readonly explanation: string;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly violations: readonly Violation[];
  readonly counts: Counts;
  /** Dead letters of healthy events that the faults explain: allowed, counted, explained. */
  readonly excused: readonly Excuse[];
  /** Faults that actually happened in this run, by kind. */
  readonly faults: Readonly<Partial<Record<FaultKind, number>>>;
}
