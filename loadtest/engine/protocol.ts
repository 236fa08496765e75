/**
 * Messages between `eventwire load` and its load workers. Histograms travel in HdrHistogram's compressed
 * encoding; times are epoch milliseconds with sub-millisecond precision (performance.timeOrigin + now()), the
 * same clock in every thread of the process.
 */
import type { Publication } from '../lib/types.ts';
import type { ConstantRate } from './arrivals.ts';
import type { BrokerConnection } from './transports.ts';

export interface WorkerScenario {
  /** Index in the run's scenario list; travels in each event's correlation id. */
  readonly index: number;
  readonly name: string;
  readonly schedule: ConstantRate;
  /** In-flight publishes this worker allows for the scenario; an arrival finding none free is dropped. */
  readonly slots: number;
  readonly publication: Publication;
  /** Index into WorkerInput.publishers: the service that publishes it. */
  readonly publisher: number;
  /** Publisher method for each event type the operation sends. */
  readonly methods: Readonly<Record<string, string>>;
}

export interface PublisherModule {
  readonly service: { readonly name: string; readonly version: string };
  /** `generated/<service>/index.ts`, absolute. */
  readonly module: string;
  /** `createOrderPublisher`. */
  readonly create: string;
}

export interface WorkerInput {
  readonly worker: number;
  readonly workers: number;
  readonly runId: string;
  readonly publishers: readonly PublisherModule[];
  readonly connection: BrokerConnection;
  /** The publishing service's environment (dual-publish switches). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly batch: boolean;
  readonly scenarios: readonly WorkerScenario[];
  readonly gracefulStopMs: number;
  readonly orderingKeys: number;
  readonly tickMs: number;
}

/** One scenario's activity in one reporting interval. */
export interface ScenarioTick {
  readonly index: number;
  /** Seconds since the run's start at the end of the interval. */
  readonly second: number;
  readonly latency?: string;
  readonly ok: number;
  readonly failed: number;
  readonly dropped: number;
}

export interface ScenarioTotals {
  readonly index: number;
  /** Intended send time -> broker acknowledgement, successful publishes. */
  readonly latency: string;
  /** Intended send time -> the publish call starting: what the generator itself adds. */
  readonly startLag: string;
  readonly scheduled: number;
  readonly ok: number;
  readonly failed: number;
  readonly dropped: number;
  /** Still running when the graceful stop ended. */
  readonly interrupted: number;
  readonly errors: readonly string[];
}

/** The main thread's go: every worker starts its schedule at the same instant. */
export interface StartMessage {
  readonly type: 'start';
  readonly startAt: number;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'tick'; readonly ticks: readonly ScenarioTick[] }
  | { readonly type: 'done'; readonly totals: readonly ScenarioTotals[] }
  | { readonly type: 'failed'; readonly message: string };

/** `ewload-<run>-<scenario>-<intended send time in µs>`: what a consumer needs to time and attribute an event. */
export function loadCorrelationId(runId: string, scenario: number, intendedAt: number): string {
  return `ewload-${runId}-${scenario}-${Math.round(intendedAt * 1000)}`;
}

export function parseLoadCorrelationId(
  runId: string,
  correlationId: string | undefined,
): { readonly scenario: number; readonly intendedAt: number } | undefined {
  const prefix = `ewload-${runId}-`;
  if (!correlationId?.startsWith(prefix)) return undefined;
  const [scenario, micros] = correlationId.slice(prefix.length).split('-');
  const index = Number(scenario);
  const at = Number(micros);
  if (!Number.isInteger(index) || !Number.isFinite(at)) return undefined;
  return { scenario: index, intendedAt: at / 1000 };
}

export const epochNow = (): number => performance.timeOrigin + performance.now();
