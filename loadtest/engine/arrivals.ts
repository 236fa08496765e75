/**
 * When each iteration of an arrival-rate scenario is due, the way k6 computes it (lib/executor
 * constant_arrival_rate.go and ramping_arrival_rate.go): constant rate, iteration i at i x period (the first at
 * 0) while before the end; ramping rate, iteration i (from 1) where the area under the rate curve reaches i.
 * Both the Node engine (real time) and the k6 script runner (virtual time) schedule from here.
 */

export interface ConstantRate {
  /** Iterations per time unit. */
  readonly rate: number;
  readonly timeUnitMs: number;
  readonly durationMs: number;
}

export interface RampStage {
  readonly target: number;
  readonly durationMs: number;
}

export interface RampingRate {
  readonly startRate: number;
  readonly timeUnitMs: number;
  readonly stages: readonly RampStage[];
}

/** Offsets (ms from the scenario's start) of a constant arrival rate, every `stride`-th from `first`. */
export function* constantArrivals(schedule: ConstantRate, first = 0, stride = 1): Generator<number> {
  if (schedule.rate <= 0) return;
  const period = schedule.timeUnitMs / schedule.rate;
  for (let i = first; i * period < schedule.durationMs; i += stride) yield i * period;
}

/**
 * Where, within its first period, the `index`-th of `count` constant-rate scenarios of one run starts: evenly
 * spread phases. k6 runs every VU on its own goroutine, so scenarios due at the same instant start together; a
 * load worker is one thread and would start them one after another, and the last would carry the others' CPU
 * as latency of the system under test (six order scenarios at 5/s, due at the same instants, gave the last a
 * start lag of 6-11 ms against a 10 ms p95). A phase is as k6's `startTime` of a fraction of one period: same
 * rate, same number of arrivals, the run at most one period longer.
 */
export function constantPhaseMs(schedule: ConstantRate, index: number, count: number): number {
  if (schedule.rate <= 0 || count <= 1) return 0;
  return ((index % count) / count) * (schedule.timeUnitMs / schedule.rate);
}

/** How many iterations a constant arrival rate schedules. */
export function constantArrivalCount(schedule: ConstantRate): number {
  if (schedule.rate <= 0) return 0;
  return Math.ceil(Number(((schedule.durationMs * schedule.rate) / schedule.timeUnitMs).toPrecision(12)));
}

/** Offsets of a ramping arrival rate: k6's `cal`, iteration i due where the rate's integral reaches i. */
export function* rampingArrivals(schedule: RampingRate, first = 0, stride = 1): Generator<number> {
  let stageStart = 0;
  let doneSoFar = 0;
  let endCount = 0;
  let from = schedule.startRate / schedule.timeUnitMs;
  let i = first + 1;
  for (const stage of schedule.stages) {
    const to = stage.target / schedule.timeUnitMs;
    const dur = stage.durationMs;
    if (from !== to) {
      endCount += dur * ((to - from) / 2 + from);
      for (; i <= endCount; i += stride) {
        const root = Math.sqrt(Math.max(0, dur * (from * from * dur + 2 * (i - doneSoFar) * (to - from))));
        yield (from * dur - root) / (from - to) + stageStart;
      }
    } else {
      endCount += dur * to;
      for (; i <= endCount; i += stride) yield (i - doneSoFar) / to + stageStart;
    }
    doneSoFar = endCount;
    from = to;
    stageStart += dur;
  }
}
