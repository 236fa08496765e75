/**
 * k6's option validation for what the runner executes, with k6's own messages: scenario names
 * (lib/executor/base_config.go), strict per-executor fields and rules (constant_arrival_rate.go,
 * ramping_arrival_rate.go, shared_iterations.go; minDuration 1s), durations as k6 parses them, and thresholds
 * (metrics/thresholds.go: a known metric, an aggregation method its type supports).
 */
import { parseK6Duration } from '../../lib/duration.ts';
import type { MetricType } from './state.ts';
import { parseThreshold, SUPPORTED } from './thresholds.ts';

const BASE = ['executor', 'startTime', 'gracefulStop', 'env', 'exec', 'tags', 'options'];
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  'constant-arrival-rate': ['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs'],
  'ramping-arrival-rate': ['startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs'],
  'shared-iterations': ['vus', 'iterations', 'maxDuration'],
};

type Raw = Readonly<Record<string, unknown>>;

function ms(errors: string[], where: string, field: string, value: unknown, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) errors.push(`${where}: the ${field} is unspecified`);
    return fallback ?? 0;
  }
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' ? parseK6Duration(value) : undefined;
  if (parsed === undefined) {
    errors.push(`${where}: ${field} "${String(value)}" is not a valid duration`);
    return 0;
  }
  return parsed;
}

const int = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);

export interface ValidScenario {
  readonly name: string;
  readonly executor: string;
  readonly exec: string;
  readonly startTimeMs: number;
  readonly gracefulStopMs: number;
  readonly raw: Raw;
  readonly durationMs: number;
  readonly timeUnitMs: number;
}

export function validateScenario(
  name: string,
  raw: Raw,
  exported: (name: string) => boolean,
  errors: string[],
): ValidScenario | undefined {
  const where = `scenario ${name}`;
  const executor = String(raw.executor ?? '');
  if (!/^[0-9a-zA-Z_-]+$/.test(name)) {
    errors.push(
      `${where}: the scenario name should contain only numbers, latin letters, underscores, and dashes`,
    );
  }
  const fields = FIELDS[executor];
  if (!fields) {
    errors.push(
      `${where}: executor "${executor}" is not supported by this runner (it runs ${Object.keys(FIELDS).join(', ')})`,
    );
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!BASE.includes(key) && !fields.includes(key)) errors.push(`${where}: json: unknown field "${key}"`);
  }
  const exec = raw.exec === undefined ? 'default' : String(raw.exec);
  if (raw.exec !== undefined && exec === '') errors.push(`${where}: exec value cannot be empty`);
  else if (!exported(exec)) errors.push(`${where}: executor's exec function "${exec}" is not exported`);
  const startTimeMs = ms(errors, where, 'startTime', raw.startTime, 0);
  if (startTimeMs < 0) errors.push(`${where}: the startTime can't be negative`);
  const gracefulStopMs = ms(errors, where, 'gracefulStop', raw.gracefulStop, 30_000);
  let durationMs = 0;
  let timeUnitMs = 1000;
  if (executor === 'shared-iterations') {
    const vus = int(raw.vus) ?? 1;
    const iterations = int(raw.iterations) ?? 1;
    if (vus <= 0) errors.push(`${where}: the number of VUs must be more than 0`);
    if (iterations < vus)
      errors.push(
        `${where}: the number of iterations (${iterations}) can't be less than the number of VUs (${vus})`,
      );
    durationMs = ms(errors, where, 'maxDuration', raw.maxDuration, 600_000);
    if (durationMs < 1000)
      errors.push(`${where}: the maxDuration must be at least 1s, but is ${String(raw.maxDuration)}`);
  } else {
    timeUnitMs = ms(errors, where, 'timeUnit', raw.timeUnit, 1000);
    if (timeUnitMs <= 0) errors.push(`${where}: the timeUnit must be more than 0`);
    const pre = int(raw.preAllocatedVUs);
    if (pre === undefined) errors.push(`${where}: the number of preAllocatedVUs isn't specified`);
    else if (pre < 0) errors.push(`${where}: the number of preAllocatedVUs can't be negative`);
    const max = int(raw.maxVUs);
    if (max !== undefined && pre !== undefined && max < pre)
      errors.push(`${where}: maxVUs can't be less than preAllocatedVUs`);
    if (executor === 'constant-arrival-rate') {
      const rate = int(raw.rate);
      if (rate === undefined) errors.push(`${where}: the iteration rate isn't specified`);
      else if (rate <= 0) errors.push(`${where}: the iteration rate must be more than 0`);
      durationMs = ms(errors, where, 'duration', raw.duration);
      if (raw.duration !== undefined && durationMs < 1000) {
        errors.push(`${where}: the duration must be at least 1s, but is ${String(raw.duration)}`);
      }
    } else {
      const stages = Array.isArray(raw.stages) ? (raw.stages as Raw[]) : [];
      if (stages.length === 0) errors.push(`${where}: at least one stage has to be specified`);
      stages.forEach((stage, i) => {
        const d = ms(errors, where, `duration of stage ${i + 1}`, stage.duration);
        if (d < 0) errors.push(`${where}: the duration for stage ${i + 1} can't be negative`);
        durationMs += d;
        const target = int(stage.target);
        if (target === undefined) errors.push(`${where}: stage ${i + 1} doesn't have a target`);
        else if (target < 0) errors.push(`${where}: the target for stage ${i + 1} can't be negative`);
      });
    }
  }
  return { name, executor, exec, startTimeMs, gracefulStopMs, raw, durationMs, timeUnitMs };
}

/** `http_req_duration{scenario:x}` -> metric name and tag filter (k6's ParseMetricName). */
export function parseMetricKey(key: string): { metric: string; tags: Record<string, string> } {
  const open = key.indexOf('{');
  if (open < 0) return { metric: key, tags: {} };
  if (!key.endsWith('}')) throw new Error(`${key}: missing closing curly brace`);
  const tags: Record<string, string> = {};
  for (const pair of key.slice(open + 1, -1).split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) throw new Error(`${key}: tag "${pair}" has no value`);
    tags[pair.slice(0, colon).trim()] = pair
      .slice(colon + 1)
      .trim()
      .replace(/^["']|["']$/g, '');
  }
  return { metric: key.slice(0, open), tags };
}

export function validateThresholds(
  thresholds: Readonly<Record<string, readonly (string | { threshold: string })[]>>,
  metrics: ReadonlyMap<string, MetricType>,
  errors: string[],
): void {
  for (const [key, rules] of Object.entries(thresholds)) {
    let metric: string;
    try {
      metric = parseMetricKey(key).metric;
    } catch (error) {
      errors.push(`unable to validate threshold expressions; reason: ${(error as Error).message}`);
      continue;
    }
    const type = metrics.get(metric);
    if (!type) {
      errors.push(`invalid threshold defined on ${key}; reason: no metric name "${key}" found`);
      continue;
    }
    for (const rule of rules) {
      const source = typeof rule === 'string' ? rule : rule.threshold;
      try {
        const parsed = parseThreshold(source);
        if (!SUPPORTED[type].includes(parsed.method)) {
          errors.push(
            `invalid threshold "${source}" applied on metric ${key}; reason: unsupported aggregation method ` +
              `${parsed.method} on metric of type ${type}. supported aggregation methods for this metric are: ${SUPPORTED[type].join(', ')}`,
          );
        }
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  }
}
