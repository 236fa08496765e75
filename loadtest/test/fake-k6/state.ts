/**
 * Shared state of the fake k6 modules: what the script sent and checked, and the execution context the runner
 * sets before each iteration. Kept on globalThis because the fakes are separate modules loaded by hooks.
 */
export interface RecordedRequest {
  readonly method: 'POST';
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly scenario: string;
}

export interface FakeResponse {
  readonly status: number;
  readonly body: string | null;
}

export interface FakeK6State {
  scenario: { name: string; startTime: number; iterationInTest: number };
  readonly requests: RecordedRequest[];
  readonly checks: { readonly scenario: string; readonly name: string; readonly passed: boolean }[];
  respond: (request: RecordedRequest) => FakeResponse;
}

const key = Symbol.for('eventwire.fake-k6');

/** Dapr answers 204; RabbitMQ's management publish answers 200 with `routed: true`. */
export const brokerAnswers = (request: RecordedRequest): FakeResponse =>
  request.url.includes('/api/exchanges/')
    ? { status: 200, body: '{"routed":true}' }
    : { status: 204, body: null };

export function fakeState(): FakeK6State {
  const global = globalThis as { [key]?: FakeK6State };
  global[key] ??= {
    scenario: { name: 'default', startTime: Date.now(), iterationInTest: 0 },
    requests: [],
    checks: [],
    respond: brokerAnswers,
  };
  return global[key];
}
