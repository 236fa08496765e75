/**
 * The load plan: which scenarios a run has, at what rate, for how long, and which thresholds judge them, derived
 * from the contract's volumes and `x-eventwire-sla`. One source, two renderings: the generated k6 scripts call
 * these functions at k6's init time (so `-e PROFILE=smoke` works) and `eventwire load` calls them on the same
 * targets for its Node engine. Pure and free of Node APIs, since k6 runs it.
 *
 * Sizing rules (why a scenario may run longer, or faster, than asked):
 * - a percentile threshold needs at least TAIL_SAMPLES events above the percentile, so one slow event never
 *   decides it alone: p95 needs 100 events, p99 500;
 * - a ratio threshold (delivery >= 0.999) needs 1 / (1 - ratio) events before it tolerates a single failure;
 * - steady and soak scenarios run at the contract rate and are lengthened (up to MAX_LENGTHENED_MS) until they
 *   have those samples; a smoke scenario keeps its length and raises its rate instead; what still cannot be
 *   judged is said in the scenario's notes.
 */
import { formatDuration, MIN_SCENARIO_MS } from './duration.ts';

export type Profile = 'smoke' | 'steady' | 'peak' | 'soak';
export const PROFILES: readonly Profile[] = ['smoke', 'steady', 'peak', 'soak'];

/** Length of each profile's scenarios unless the run says otherwise. */
export const DEFAULT_DURATION_MS: Readonly<Record<Profile, number>> = {
  smoke: 20_000,
  steady: 300_000,
  peak: 60_000,
  soak: 3_600_000,
};

/** The contract's delivery target when it declares none (the platform's: delivery above 99.9 %). */
export const DEFAULT_DELIVERY_RATIO = 0.999;
/** Events a percentile threshold wants above the percentile. */
export const TAIL_SAMPLES = 5;
/** How long a steady scenario may be lengthened to collect the samples its thresholds need. */
export const MAX_LENGTHENED_MS = 3_600_000;
/** VUs (k6) or in-flight slots (Node engine) per event per second: a publish may take up to this long. */
export const SLOT_SECONDS = 1;

export interface SubscriberTarget {
  readonly service: string;
  /** Subscription name (`payment-capture-requested`). */
  readonly subscription: string;
  /** The `topic` label of its runtime metrics (topic, or `exchange/bindingPattern`). */
  readonly metricsTopic: string;
  /** Processing target of the receive operation, milliseconds. */
  readonly processingP95?: number;
}

/** What the contract says about one send operation, as data a script can carry. */
export interface OperationTarget {
  readonly operation: string;
  /** The k6 script's exported function for it. */
  readonly exec: string;
  readonly sla: {
    readonly publishP95?: number;
    readonly publishP99?: number;
    readonly deliverySuccessRate?: number;
    readonly eventsPerHour?: number;
    readonly peakPerSecond?: number;
  };
  /** Every receive operation of the platform its events reach. */
  readonly subscribers: readonly SubscriberTarget[];
}

export interface PlanSettings {
  readonly profile: Profile;
  /** Overrides the profile's default length. */
  readonly durationMs?: number;
  /** Multiplies every contract rate. */
  readonly rateScale: number;
}

export interface PlannedScenario {
  /** `<exec>_<phase>`: k6's scenario name and the `scenario` tag of its metrics. */
  readonly name: string;
  readonly exec: string;
  readonly operation: string;
  readonly phase: Profile;
  /** Arrivals per `timeUnit`, a whole number as k6 requires. */
  readonly rate: number;
  readonly timeUnit: string;
  readonly timeUnitMs: number;
  readonly durationMs: number;
  readonly duration: string;
  /** Arrivals the scenario schedules (k6: ceil(duration / period)). */
  readonly events: number;
  /** VUs, all pre-allocated: k6 drops an iteration that finds no free VU before it adds one. */
  readonly vus: number;
  readonly notes: readonly string[];
}

export type ThresholdKind = 'publish-latency' | 'publish-errors' | 'dropped' | 'processing' | 'delivery';

export interface PlannedThreshold {
  readonly scenario: string;
  readonly operation: string;
  readonly phase: Profile;
  readonly kind: ThresholdKind;
  /** `service/subscription`, for processing and delivery. */
  readonly subscriber?: string;
  /** Percentile for latency thresholds (95, 99). */
  readonly percentile?: number;
  readonly comparator: '<' | '<=' | '>=' | '==';
  readonly limit: number;
  /** Events the threshold needs to be judged fairly (see the sizing rules above); 0 when any count will do. */
  readonly samplesNeeded: number;
  /** `publish p95 < 10 ms`. */
  readonly description: string;
}

const HOUR_MS = 3_600_000;
const clean = (value: number) => Number(value.toPrecision(12));

function percentileSamples(percentile: number): number {
  return Math.ceil(clean(TAIL_SAMPLES / (1 - percentile / 100)));
}

function ratioSamples(ratio: number): number {
  return ratio >= 1 ? 0 : Math.ceil(clean(1 / (1 - ratio)));
}

function deliveryTarget(target: OperationTarget): number {
  return target.sla.deliverySuccessRate ?? DEFAULT_DELIVERY_RATIO;
}

/** The thresholds of one scenario, whatever its length. */
export function scenarioThresholds(
  target: OperationTarget,
  scenario: string,
  phase: Profile,
): PlannedThreshold[] {
  const base = { scenario, operation: target.operation, phase };
  const out: PlannedThreshold[] = [];
  const { publishP95, publishP99, deliverySuccessRate } = target.sla;
  for (const [percentile, limit] of [
    [95, publishP95],
    [99, publishP99],
  ] as const) {
    if (limit === undefined) continue;
    out.push({
      ...base,
      kind: 'publish-latency',
      percentile,
      comparator: '<',
      limit,
      samplesNeeded: percentileSamples(percentile),
      description: `publish p${percentile} < ${limit} ms`,
    });
  }
  if (deliverySuccessRate !== undefined) {
    const failures = clean(1 - deliverySuccessRate);
    out.push({
      ...base,
      kind: 'publish-errors',
      comparator: '<=',
      limit: failures,
      samplesNeeded: ratioSamples(deliverySuccessRate),
      description: `publish errors <= ${clean(failures * 100)} %`,
    });
  }
  out.push({
    ...base,
    kind: 'dropped',
    comparator: '==',
    limit: 0,
    samplesNeeded: 0,
    description: 'dropped iterations == 0',
  });
  for (const subscriber of target.subscribers) {
    const name = `${subscriber.service}/${subscriber.subscription}`;
    if (subscriber.processingP95 !== undefined) {
      out.push({
        ...base,
        kind: 'processing',
        subscriber: name,
        percentile: 95,
        comparator: '<',
        limit: subscriber.processingP95,
        samplesNeeded: percentileSamples(95),
        description: `${name} processing p95 < ${subscriber.processingP95} ms`,
      });
    }
    const ratio = deliveryTarget(target);
    out.push({
      ...base,
      kind: 'delivery',
      subscriber: name,
      comparator: '>=',
      limit: clean(ratio),
      samplesNeeded: ratioSamples(ratio),
      description: `${name} delivery >= ${clean(ratio * 100)} %`,
    });
  }
  return out;
}

interface Rate {
  readonly rate: number;
  readonly timeUnit: string;
  readonly timeUnitMs: number;
}

/** The contract rate this phase runs at, or undefined when the contract gives none. */
function contractRate(target: OperationTarget, phase: Profile, rateScale: number): Rate | undefined {
  const { eventsPerHour, peakPerSecond } = target.sla;
  if (phase === 'peak' && peakPerSecond) {
    return { rate: Math.max(1, Math.round(peakPerSecond * rateScale)), timeUnit: '1s', timeUnitMs: 1000 };
  }
  if (eventsPerHour) {
    return { rate: Math.max(1, Math.round(eventsPerHour * rateScale)), timeUnit: '1h', timeUnitMs: HOUR_MS };
  }
  return undefined;
}

/** k6's count for a constant arrival rate: one iteration every period, the first at 0, while before the end. */
export function arrivalsIn(rate: Rate, durationMs: number): number {
  return Math.ceil(clean((durationMs * rate.rate) / rate.timeUnitMs));
}

/** `count` events spread evenly over the scenario: the time unit is the duration itself. */
function evenly(count: number, durationMs: number): Rate {
  return {
    rate: count,
    timeUnit: formatDuration(durationMs),
    timeUnitMs: Math.ceil(durationMs / 1000) * 1000,
  };
}

/** The shortest whole-second length that schedules at least `count` arrivals, exactly `count` when one exists. */
function wholeSecondsFor(count: number, rate: Rate): number {
  const period = rate.timeUnitMs / rate.rate;
  const down = Math.floor((count * period) / 1000) * 1000;
  return down > (count - 1) * period && down >= MIN_SCENARIO_MS ? down : roundUpToSeconds(count * period);
}

function roundUpToSeconds(ms: number): number {
  return Math.max(MIN_SCENARIO_MS, Math.ceil(ms / 1000) * 1000);
}

function planOne(target: OperationTarget, settings: PlanSettings): PlannedScenario {
  const phase = settings.profile;
  const name = `${target.exec}_${phase}`;
  const thresholds = scenarioThresholds(target, name, phase);
  const percentileNeed = Math.max(
    0,
    ...thresholds.filter((t) => t.percentile !== undefined).map((t) => t.samplesNeeded),
  );
  const allNeed = Math.max(percentileNeed, ...thresholds.map((t) => t.samplesNeeded));
  const requestedMs = roundUpToSeconds(settings.durationMs ?? DEFAULT_DURATION_MS[phase]);
  const notes: string[] = [];
  const declared = contractRate(target, phase, settings.rateScale);
  let rate: Rate;
  let durationMs = requestedMs;

  if (phase === 'smoke' || !declared) {
    // No volume to honour (smoke, or a contract without one): send what the percentiles need, evenly.
    const atContractRate = declared ? arrivalsIn(declared, requestedMs) : 0;
    const count = Math.max(atContractRate, percentileNeed, 1);
    rate = evenly(count, requestedMs);
    if (!declared && phase !== 'smoke') {
      notes.push(
        `the contract declares no ${phase === 'peak' ? 'peakPerSecond or ' : ''}eventsPerHour: ` +
          `${count} events, the fewest that judge its percentiles`,
      );
    }
  } else {
    rate = declared;
    if (phase === 'peak' && !target.sla.peakPerSecond) {
      notes.push('the contract declares no peakPerSecond: runs at its steady rate during the peak');
    }
    const events = arrivalsIn(rate, requestedMs);
    if (events < allNeed) {
      const wantedMs = wholeSecondsFor(allNeed, rate);
      const limitMs = Math.max(requestedMs, MAX_LENGTHENED_MS);
      durationMs = Math.min(wantedMs, limitMs);
      notes.push(
        `runs ${formatDuration(durationMs)} instead of ${formatDuration(requestedMs)} to collect ` +
          `${Math.min(allNeed, arrivalsIn(rate, durationMs))} events at the contract rate`,
      );
    }
  }
  const events = arrivalsIn(rate, durationMs);
  const short = thresholds.filter((t) => t.samplesNeeded > events);
  const percentiles = short.filter((t) => t.percentile !== undefined);
  const ratios = short.filter((t) => t.percentile === undefined);
  if (percentiles.length > 0) {
    notes.push(
      `${events} events are too few to judge ${percentiles.map((t) => t.description).join(', ')} fairly ` +
        `(needs ${Math.max(...percentiles.map((t) => t.samplesNeeded))}); judged anyway`,
    );
  }
  if (ratios.length > 0) {
    const kinds = [...new Set(ratios.map((t) => (t.kind === 'delivery' ? 'delivery' : 'publish errors')))];
    notes.push(
      `with ${events} events a single failure misses ${kinds.join(' and ')} ` +
        `(${Math.max(...ratios.map((t) => t.samplesNeeded))} needed to allow one)`,
    );
  }
  const perSecond = (rate.rate * 1000) / rate.timeUnitMs;
  return {
    name,
    exec: target.exec,
    operation: target.operation,
    phase,
    rate: rate.rate,
    timeUnit: rate.timeUnit,
    timeUnitMs: rate.timeUnitMs,
    durationMs,
    duration: formatDuration(durationMs),
    events,
    vus: Math.max(2, Math.ceil(perSecond * SLOT_SECONDS)),
    notes,
  };
}

export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/** Every scenario of a run: one per operation, all starting together. */
export function planScenarios(
  targets: readonly OperationTarget[],
  settings: PlanSettings,
): PlannedScenario[] {
  if (!(settings.rateScale > 0) || !Number.isFinite(settings.rateScale)) {
    throw new PlanError(`the rate scale must be a positive number (got ${settings.rateScale})`);
  }
  if (settings.durationMs !== undefined && !(settings.durationMs >= MIN_SCENARIO_MS)) {
    throw new PlanError(
      `the duration must be at least 1s (got ${settings.durationMs} ms): k6 refuses shorter scenarios`,
    );
  }
  if (settings.profile === 'peak' && !targets.some((t) => t.sla.peakPerSecond)) {
    throw new PlanError(
      'no operation declares x-eventwire-sla.peakPerSecond, so there is no peak to run: add one to the ' +
        'contract, or run the steady profile with --rate-scale',
    );
  }
  return targets.map((target) => planOne(target, settings));
}

/** Every threshold of a run. */
export function planThresholds(
  targets: readonly OperationTarget[],
  scenarios: readonly PlannedScenario[],
): PlannedThreshold[] {
  return scenarios.flatMap((scenario) => {
    const target = targets.find((t) => t.exec === scenario.exec);
    return target ? scenarioThresholds(target, scenario.name, scenario.phase) : [];
  });
}
