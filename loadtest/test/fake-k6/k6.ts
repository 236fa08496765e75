/** Fake of the `k6` module: `check` records its outcome and a `checks` sample; `sleep` takes virtual time. */
import { emit, fakeState } from './state.ts';

export function check<T>(value: T, sets: Record<string, (value: T) => boolean>): boolean {
  const state = fakeState();
  let all = true;
  for (const [name, predicate] of Object.entries(sets)) {
    const passed = predicate(value) === true;
    state.checks.push({ scenario: state.scenario?.name ?? '', name, passed });
    emit('checks', passed ? 1 : 0, { check: name });
    all &&= passed;
  }
  return all;
}

export function sleep(seconds: number): void {
  fakeState().now += seconds * 1000;
}

export function fail(message?: string): never {
  throw new Error(message ?? 'fail() called');
}
