/**
 * The messages between `eventwire test` (the parent, which publishes, schedules and checks) and a consumer host
 * (a child process running the service's generated consumer and handlers on real brokers). Plain JSON over
 * Node's IPC channel, so the parent can SIGKILL the child at any point and lose nothing it was told.
 */
import type { CrashPoint, EventRef, FaultKind, HistoryEvent, SuiteTarget } from '../engine/types.ts';

/** Where the consumer's brokers are, for one run. */
export interface HostRunConfig {
  readonly runId: string;
  readonly consumer: number;
  /** Through the parent's fault proxy: what a dropped connection cuts. */
  readonly transportUrl: string;
  /** Redis for idempotency marks, ordering positions and progress (the service's own connection). */
  readonly redisUrl?: string;
  readonly databaseUrl?: string;
  readonly pgSchema?: string;
  /** Key prefix of everything the run writes to Redis. */
  readonly redisPrefix: string;
  /** RabbitMQ: suffix of every exchange and queue name of the run (names.ts). */
  readonly amqpTag?: string;
  readonly timeScale: number;
  /** Dapr: the HTTP port of the run's sidecar (the fake daprd in the parent, which outlives consumer crashes). */
  readonly daprHttpPort?: number;
  /** Dapr: the sidecar's inbound retry interval, which the app's backoff takes into account. */
  readonly daprRetryIntervalMs?: number;
  readonly variant?: string;
  /** What the handlers module's createHarnessDeps is told. */
  readonly mode: 'local' | 'containers';
  readonly endpoints: Readonly<Record<string, string>>;
  /** The schedule's events known so far, with handler runs already made by earlier consumer processes. */
  readonly events: readonly HostEvent[];
}

export interface HostEvent {
  readonly eventId: string;
  readonly ref: EventRef;
  /** Handler throws on this many first runs (`-1` for always: poison). */
  readonly failures: number;
  /**
   * `slow e1`: the first run is held (under the handler timeout) while the broker delivers the event again; the
   * host lets it go on once that copy has had its answer. Scheduled on Dapr only (harness/rea./dapr-reads.ts).
   */
  readonly slow: boolean;
  /** Handler runs made so far (by any consumer process of the run). */
  readonly runs: number;
}

/** Parent → host. */
export type ToHost =
  | { readonly type: 'init'; readonly target: SuiteTarget }
  | { readonly type: 'start'; readonly config: HostRunConfig }
  | { readonly type: 'events'; readonly events: readonly HostEvent[] }
  | { readonly type: 'hold' }
  | { readonly type: 'release' }
  | { readonly type: 'arm-crash'; readonly point: CrashPoint }
  | { readonly type: 'arm-drop' }
  | { readonly type: 'dropped' }
  | { readonly type: 'stop' };

/** A history record as the host saw it: `wall` is `performance.timeOrigin + performance.now()` in the host. */
export type HostRecord = DistributiveOmit<HistoryEvent, 'at'> & { readonly wall: number };

/** Host → parent. */
export type FromHost =
  | { readonly type: 'ready' }
  /** Dapr: where the app server listens, for the sidecar to call. */
  | { readonly type: 'started'; readonly appUrl?: string }
  | { readonly type: 'ack' }
  | { readonly type: 'stopped' }
  | { readonly type: 'record'; readonly record: HostRecord }
  /** A crash landed: the host holds the delivery at `point` and waits to be killed. */
  | { readonly type: 'crash'; readonly record: HostRecord }
  /** An armed connection drop reached a handler: the host waits for `dropped`. */
  | { readonly type: 'drop'; readonly wall: number; readonly eventId: string }
  | { readonly type: 'error'; readonly message: string };

export type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export const wallNow = (): number => performance.timeOrigin + performance.now();

/** Fault kinds a real-broker run records itself (the others come from the host). */
export type ParentFault = Extract<FaultKind, 'duplicate' | 'reorder' | 'lost-confirm' | 'invalid-payload'>;
