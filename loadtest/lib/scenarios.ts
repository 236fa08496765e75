/**
 * k6 scenarios from contract volumes. Steady load is a constant arrival rate of the contract's `eventsPerHour`
 * per hour: k6 rates are whole numbers per time unit, so a one-hour unit keeps 50 000/h exact where a per-second
 * rate would have to round 13.9/s. Arrival-rate executors keep the rate even when the sidecar slows down, which is
 * what a publisher in production does (a closed loop of VUs would hide the slowdown by sending less).
 */
import type { ConstantArrivalRateScenario, SharedIterationsScenario } from 'k6/options';
import type { Settings } from './settings.ts';

/** VUs for a rate: pre-allocated for ~100 ms per publish, up to one second per publish before iterations drop. */
function vusFor(perSecond: number): { preAllocatedVUs: number; maxVUs: number } {
  return {
    preAllocatedVUs: Math.max(1, Math.ceil(perSecond * 0.1)),
    maxVUs: Math.max(2, Math.ceil(perSecond)),
  };
}

export function steadyScenario(
  settings: Settings,
  exec: string,
  eventsPerHour: number,
): ConstantArrivalRateScenario {
  const rate = Math.max(1, Math.round(eventsPerHour * settings.rateScale));
  return {
    executor: 'constant-arrival-rate',
    exec,
    rate,
    timeUnit: '1h',
    duration: settings.steadyDuration,
    ...vusFor(rate / 3600),
  };
}

/** The peak runs after the steady phase when the script has one, so the two are measured apart. */
export function peakScenario(
  settings: Settings,
  exec: string,
  perSecond: number,
  when: { readonly afterSteady: boolean },
): ConstantArrivalRateScenario {
  return {
    executor: 'constant-arrival-rate',
    exec,
    rate: perSecond,
    timeUnit: '1s',
    duration: settings.peakDuration,
    startTime: when.afterSteady ? settings.steadyDuration : '0s',
    ...vusFor(perSecond),
  };
}

/** Operations without a volume in the contract still get their latency and success thresholds checked. */
export function smokeScenario(settings: Settings, exec: string): SharedIterationsScenario {
  return {
    executor: 'shared-iterations',
    exec,
    vus: 1,
    iterations: settings.smokeIterations,
    maxDuration: '1m',
  };
}
