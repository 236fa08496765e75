/**
 * Runs k6 scripts under Node with the fake k6 modules:
 *   node --import ./register.ts run.ts <iterations> <script.k6.ts>...
 * Each scenario's `exec` function runs <iterations> times with the scenario's name and iteration number set, as
 * k6 would; stdout is one JSON object per script path: its `options`, the requests it sent and its checks.
 * The environment is the scripts' `__ENV`; FAKE_K6_STATUS makes every answer that status (a failing broker).
 */
import { pathToFileURL } from 'node:url';
import { brokerAnswers, fakeState } from './state.ts';

interface ScriptModule {
  readonly options: { readonly scenarios: Record<string, { readonly exec: string }> };
  readonly [name: string]: unknown;
}

(globalThis as { __ENV?: Record<string, string | undefined> }).__ENV = { ...process.env };

const [iterationsArg = '1', ...scripts] = process.argv.slice(2);
const iterations = Number(iterationsArg);
const state = fakeState();
const forcedStatus = process.env.FAKE_K6_STATUS;
if (forcedStatus) state.respond = () => ({ status: Number(forcedStatus), body: null });
else state.respond = brokerAnswers;

const results: Record<string, unknown> = {};
for (const script of scripts) {
  state.requests.length = 0;
  state.checks.length = 0;
  const module = (await import(pathToFileURL(script).href)) as ScriptModule;
  for (const [name, scenario] of Object.entries(module.options.scenarios)) {
    const exec = module[scenario.exec];
    if (typeof exec !== 'function')
      throw new Error(`${script}: scenario ${name} runs ${scenario.exec}, which is not exported`);
    state.scenario = { name, startTime: Date.now(), iterationInTest: 0 };
    for (let i = 0; i < iterations; i++) {
      state.scenario.iterationInTest = i;
      exec();
    }
  }
  results[script] = { options: module.options, requests: [...state.requests], checks: [...state.checks] };
}
process.stdout.write(JSON.stringify(results));
