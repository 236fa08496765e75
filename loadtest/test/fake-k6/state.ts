/**
 * Shared state of the fake k6 modules: a virtual clock, the VU context of the iteration running now (k6 refuses
 * scenario information outside one), the metric samples every module emits, and what the script sent. Kept on
 * globalThis because the fakes are separate modules loaded by hooks.
 */
export interface RecordedRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly scenario: string;
  /** Virtual ms since the test started when the request was sent. */
  readonly at: number;
}

export interface FakeResponse {
  readonly status: number;
  readonly body: string | null;
  /** Virtual milliseconds the request takes (default: the state's latency). */
  readonly latencyMs?: number;
}

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

export interface Sample {
  readonly metric: string;
  readonly value: number;
  readonly tags: Readonly<Record<string, string>>;
  /** Virtual ms since the test started. */
  readonly time: number;
}

export interface ScenarioContext {
  readonly name: string;
  readonly executor: string;
  /** Epoch ms, as k6 returns it. */
  readonly startTime: number;
  iterationInTest: number;
  iterationInInstance: number;
}

export interface FakeK6State {
  /** Virtual ms since the test started, including the time spent inside the running iteration so far. */
  now: number;
  /** The iteration running now; undefined in the init context, setup and teardown. */
  scenario: ScenarioContext | undefined;
  readonly requests: RecordedRequest[];
  readonly checks: { readonly scenario: string; readonly name: string; readonly passed: boolean }[];
  readonly samples: Sample[];
  /** Every metric a threshold may name: k6's built-in ones and the script's custom ones. */
  readonly metrics: Map<string, MetricType>;
  respond: (request: RecordedRequest) => FakeResponse;
  /** Virtual latency of a request when its answer names none. */
  latencyMs: number;
  readonly epoch: number;
}

const key = Symbol.for('eventwire.fake-k6');

/** Dapr answers 204; RabbitMQ's management publish answers 200 with `routed: true`. */
export const brokerAnswers = (request: RecordedRequest): FakeResponse =>
  request.url.includes('/api/exchanges/')
    ? { status: 200, body: '{"routed":true}' }
    : { status: 204, body: null };

/** k6's built-in metrics (metrics/builtin.go) with their types. */
export const BUILTIN_METRICS: Readonly<Record<string, MetricType>> = {
  vus: 'gauge',
  vus_max: 'gauge',
  iterations: 'counter',
  iteration_duration: 'trend',
  dropped_iterations: 'counter',
  data_received: 'counter',
  data_sent: 'counter',
  checks: 'rate',
  http_reqs: 'counter',
  http_req_duration: 'trend',
  http_req_blocked: 'trend',
  http_req_connecting: 'trend',
  http_req_tls_handshaking: 'trend',
  http_req_sending: 'trend',
  http_req_waiting: 'trend',
  http_req_receiving: 'trend',
  http_req_failed: 'rate',
};

export function fakeState(): FakeK6State {
  const global = globalThis as { [key]?: FakeK6State };
  global[key] ??= {
    now: 0,
    scenario: undefined,
    requests: [],
    checks: [],
    samples: [],
    metrics: new Map(Object.entries(BUILTIN_METRICS)),
    respond: brokerAnswers,
    latencyMs: 5,
    epoch: Date.now(),
  };
  return global[key];
}

/** Records a sample at the current virtual time, tagged with the running scenario like k6's system tags. */
export function emit(metric: string, value: number, tags: Readonly<Record<string, string>> = {}): void {
  const state = fakeState();
  const scenario: Record<string, string> = state.scenario ? { scenario: state.scenario.name } : {};
  state.samples.push({ metric, value, tags: { ...scenario, ...tags }, time: state.now });
}
