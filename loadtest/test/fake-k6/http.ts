/**
 * Fake of `k6/http`: a request is recorded, answered by the state's `respond` (a broker that accepts by
 * default), takes virtual time, and emits k6's request metrics (http_reqs, http_req_duration, http_req_failed:
 * statuses outside 200-399 fail, k6's default expected statuses).
 */
import { emit, fakeState, type RecordedRequest } from './state.ts';

interface Params {
  readonly headers?: Record<string, string>;
  readonly tags?: Record<string, string>;
}

function send(method: RecordedRequest['method'], url: string, body: string, params: Params = {}) {
  const state = fakeState();
  const request: RecordedRequest = {
    method,
    url,
    body,
    headers: params.headers ?? {},
    tags: params.tags ?? {},
    scenario: state.scenario?.name ?? '',
    at: state.now,
  };
  state.requests.push(request);
  const response = state.respond(request);
  const latency = response.latencyMs ?? state.latencyMs;
  state.now += latency;
  const tags = { method, status: String(response.status), ...(params.tags ?? {}) };
  emit('http_reqs', 1, tags);
  emit('http_req_duration', latency, tags);
  emit('http_req_failed', response.status >= 200 && response.status < 400 ? 0 : 1, tags);
  return response;
}

export default {
  post: (url: string, body: string, params?: Params) => send('POST', url, body, params),
  get: (url: string, params?: Params) => send('GET', url, '', params),
};
