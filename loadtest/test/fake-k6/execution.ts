/** Fake of `k6/execution`: the scenario of the running iteration; like k6, it throws outside an iteration. */
import { fakeState } from './state.ts';

export default {
  get scenario() {
    const scenario = fakeState().scenario;
    // k6: internal/js/modules/k6/execution/execution.go, errRunInInitContext
    if (!scenario) throw new Error('getting scenario information outside of the VU context is not supported');
    return scenario;
  },
};
