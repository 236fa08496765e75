/**
 * The executors, run in virtual time with k6's semantics (lib/executor): arrival-rate scenarios start each
 * iteration at its scheduled instant on a free VU, and an iteration that finds none is dropped (a
 * `dropped_iterations` sample) while one more VU, up to maxVUs, is initialised in the background, ready
 * `vuInitMs` later; shared-iterations hands iterations to its VUs as they become free until maxDuration.
 * Iterations still running `gracefulStop` after the end are interrupted, their late samples discarded.
 * The iteration itself runs for real (synchronously); its duration is the virtual time its requests and sleeps
 * took.
 */
import { constantArrivals, rampingArrivals } from '../../engine/arrivals.ts';
import { parseK6Duration } from '../../lib/duration.ts';
import { emit, fakeState } from './state.ts';
import type { ValidScenario } from './validate.ts';

export interface ScenarioOutcome {
  readonly iterations: number;
  readonly dropped: number;
  readonly interrupted: number;
  readonly vus: number;
  readonly errors: readonly string[];
  /** Virtual ms at which its last iteration ended. */
  readonly endMs: number;
}

const int = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

function runIteration(
  scenario: ValidScenario,
  exec: () => void,
  at: number,
  counter: { n: number },
  errors: string[],
): number {
  const state = fakeState();
  const cutoff = scenario.startTimeMs + scenario.durationMs + scenario.gracefulStopMs;
  const firstSample = state.samples.length;
  state.now = at;
  state.scenario = {
    name: scenario.name,
    executor: scenario.executor,
    startTime: state.epoch + scenario.startTimeMs,
    iterationInTest: counter.n,
    iterationInInstance: counter.n,
  };
  counter.n++;
  try {
    exec();
  } catch (error) {
    if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
  } finally {
    state.scenario = undefined;
  }
  const end = state.now;
  if (end > cutoff) {
    // Interrupted: what it would have recorded after the cut never happened.
    for (let i = state.samples.length - 1; i >= firstSample; i--)
      if ((state.samples[i]?.time ?? 0) > cutoff) state.samples.splice(i, 1);
    return -cutoff;
  }
  state.now = end;
  emit('iterations', 1, { scenario: scenario.name });
  emit('iteration_duration', end - at, { scenario: scenario.name });
  return end;
}

function arrivalRate(scenario: ValidScenario, exec: () => void, vuInitMs: number): ScenarioOutcome {
  const raw = scenario.raw;
  const pre = int(raw.preAllocatedVUs, 0);
  const max = int(raw.maxVUs, pre);
  const start = scenario.startTimeMs;
  const offsets =
    scenario.executor === 'constant-arrival-rate'
      ? constantArrivals({
          rate: int(raw.rate, 0),
          timeUnitMs: scenario.timeUnitMs,
          durationMs: scenario.durationMs,
        })
      : rampingArrivals({
          startRate: int(raw.startRate, 0),
          timeUnitMs: scenario.timeUnitMs,
          stages: ((raw.stages as { target: number; duration: string }[] | undefined) ?? []).map((s) => ({
            target: s.target,
            durationMs: parseK6Duration(s.duration) ?? 0,
          })),
        });
  const freeAt: number[] = Array.from({ length: pre }, () => start);
  let allocating: number | undefined;
  const counter = { n: 0 };
  const errors: string[] = [];
  let dropped = 0;
  let interrupted = 0;
  let endMs = start;
  for (const offset of offsets) {
    const t = start + offset;
    if (allocating !== undefined && allocating <= t) {
      freeAt.push(allocating);
      allocating = undefined;
    }
    let vu = -1;
    for (let i = 0; i < freeAt.length; i++)
      if ((freeAt[i] as number) <= t && (vu < 0 || (freeAt[i] as number) < (freeAt[vu] as number))) vu = i;
    if (vu < 0) {
      dropped++;
      fakeState().now = t;
      emit('dropped_iterations', 1, { scenario: scenario.name });
      if (allocating === undefined && freeAt.length < max) allocating = t + vuInitMs;
      continue;
    }
    const end = runIteration(scenario, exec, t, counter, errors);
    if (end < 0) interrupted++;
    freeAt[vu] = Math.abs(end);
    endMs = Math.max(endMs, Math.abs(end));
  }
  return { iterations: counter.n - interrupted, dropped, interrupted, vus: freeAt.length, errors, endMs };
}

function sharedIterations(scenario: ValidScenario, exec: () => void): ScenarioOutcome {
  const vus = int(scenario.raw.vus, 1);
  const total = int(scenario.raw.iterations, 1);
  const start = scenario.startTimeMs;
  const freeAt = Array.from({ length: vus }, () => start);
  const counter = { n: 0 };
  const errors: string[] = [];
  let interrupted = 0;
  let endMs = start;
  for (let i = 0; i < total; i++) {
    const vu = freeAt.indexOf(Math.min(...freeAt));
    const t = freeAt[vu] as number;
    if (t >= start + scenario.durationMs) break;
    const end = runIteration(scenario, exec, t, counter, errors);
    if (end < 0) interrupted++;
    freeAt[vu] = Math.abs(end);
    endMs = Math.max(endMs, Math.abs(end));
  }
  return { iterations: counter.n - interrupted, dropped: 0, interrupted, vus, errors, endMs };
}

export function runScenario(scenario: ValidScenario, exec: () => void, vuInitMs: number): ScenarioOutcome {
  return scenario.executor === 'shared-iterations'
    ? sharedIterations(scenario, exec)
    : arrivalRate(scenario, exec, vuInitMs);
}
