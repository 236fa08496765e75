/** Fake of `k6/http`: POST is recorded and answered by the state's `respond` (a broker that accepts by default). */
import { fakeState, type RecordedRequest } from './state.ts';

interface Params {
  readonly headers?: Record<string, string>;
  readonly tags?: Record<string, string>;
}

function post(url: string, body: string, params: Params = {}) {
  const state = fakeState();
  const request: RecordedRequest = {
    method: 'POST',
    url,
    body,
    headers: params.headers ?? {},
    tags: params.tags ?? {},
    scenario: state.scenario.name,
  };
  state.requests.push(request);
  return state.respond(request);
}

export default { post };
