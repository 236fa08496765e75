/** Fake of the `k6` module: `check` runs the predicates and records the outcome under the current scenario. */
import { fakeState } from './state.ts';

export function check<T>(value: T, sets: Record<string, (value: T) => boolean>): boolean {
  const state = fakeState();
  let all = true;
  for (const [name, predicate] of Object.entries(sets)) {
    const passed = predicate(value) === true;
    state.checks.push({ scenario: state.scenario.name, name, passed });
    all &&= passed;
  }
  return all;
}

export function fail(message?: string): never {
  throw new Error(message ?? 'fail() called');
}
