/** Fake of `k6/execution`: the scenario context the runner sets before each iteration. */
import { fakeState } from './state.ts';

export default {
  get scenario() {
    return fakeState().scenario;
  },
};
