/**
 * Runs k6 scripts under Node with the fake k6 modules, the way `k6 run` would in virtual time:
 *   node --import ./register.ts run.ts <script.k6.ts>...
 * For each script: import it (the init context: `execution.scenario` throws there), validate its options as k6
 * does (a script k6 would refuse reports `errors` and runs nothing), run setup(), every scenario with its
 * executor's semantics (scheduler.ts), teardown(), and evaluate the thresholds on the samples. stdout is one
 * JSON object per script path. The environment is the scripts' `__ENV`. FAKE_K6_STATUS makes every answer
 * that status (a failing broker); FAKE_K6_LATENCY_MS is each request's virtual duration (default 5);
 * FAKE_K6_VU_INIT_MS how long an unplanned VU takes to initialise (default 50).
 */
import { pathToFileURL } from 'node:url';
import { runScenario, type ScenarioOutcome } from './scheduler.ts';
import { brokerAnswers, fakeState } from './state.ts';
import { evaluateThresholds, type ThresholdOutcome } from './thresholds.ts';
import { parseMetricKey, type ValidScenario, validateScenario, validateThresholds } from './validate.ts';

type Thresholds = Record<string, (string | { threshold: string })[]>;

interface ScriptModule {
  readonly options?: {
    readonly scenarios?: Record<string, Record<string, unknown>>;
    readonly thresholds?: Thresholds;
  };
  readonly setup?: () => unknown;
  readonly teardown?: (data: unknown) => void;
  readonly [name: string]: unknown;
}

(globalThis as { __ENV?: Record<string, string | undefined> }).__ENV = { ...process.env };

const scripts = process.argv.slice(2);
const state = fakeState();
const forcedStatus = process.env.FAKE_K6_STATUS;
state.respond = forcedStatus ? () => ({ status: Number(forcedStatus), body: null }) : brokerAnswers;
state.latencyMs = Number(process.env.FAKE_K6_LATENCY_MS ?? 5);
const vuInitMs = Number(process.env.FAKE_K6_VU_INIT_MS ?? 50);

const results: Record<string, unknown> = {};
for (const script of scripts) {
  state.requests.length = 0;
  state.checks.length = 0;
  state.samples.length = 0;
  state.now = 0;
  const module = (await import(pathToFileURL(script).href)) as ScriptModule;
  const options = module.options ?? {};
  const errors: string[] = [];
  const scenarios: ValidScenario[] = [];
  for (const [name, raw] of Object.entries(options.scenarios ?? {})) {
    const valid = validateScenario(name, raw, (fn) => typeof module[fn] === 'function', errors);
    if (valid) scenarios.push(valid);
  }
  validateThresholds(options.thresholds ?? {}, state.metrics, errors);
  if (errors.length > 0) {
    results[script] = { options, errors, requests: [], checks: [], scenarios: {}, thresholds: {} };
    continue;
  }
  const data = JSON.parse(JSON.stringify(module.setup?.() ?? null)) as unknown;
  const outcomes: Record<string, ScenarioOutcome> = {};
  for (const scenario of scenarios) {
    outcomes[scenario.name] = runScenario(scenario, module[scenario.exec] as () => void, vuInitMs);
  }
  const endMs = Math.max(0, ...Object.values(outcomes).map((o) => o.endMs));
  state.now = endMs;
  module.teardown?.(data);
  const thresholds: Record<string, ThresholdOutcome[]> = evaluateThresholds(
    options.thresholds ?? {},
    state.metrics,
    state.samples,
    Math.max(state.now, 1),
    parseMetricKey,
  );
  results[script] = {
    options,
    errors,
    requests: [...state.requests],
    checks: [...state.checks],
    scenarios: outcomes,
    thresholds,
    passed: Object.values(thresholds).every((rules) => rules.every((r) => r.passed)),
  };
}
process.stdout.write(JSON.stringify(results));
