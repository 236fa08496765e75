/**
 * The load-test scripts of the platform's real contracts (asyncapi/): every publishing service gets a script
 * whose thresholds are its contract SLAs, the scripts type-check against k6's types, and run under Node with
 * fake k6 modules they send events that a Dapr sidecar accepts and the runtime decodes.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScripts, type ScriptRun } from '../../../loadtest/test/run-scripts.ts';
import { k6TypeErrors } from '../../../loadtest/test/typecheck.ts';
import { REPO_ROOT, scriptWorkspace, type Workspace } from '../../../loadtest/test/workspace.ts';
import { fromCloudEvent } from '../../../runtime/cloudevents.ts';
import { parseEnvelope } from '../../../runtime/envelope.ts';
import { FakeSidecar } from '../../../harness/testing/index.ts';
import { formatDiagnosticLine, loadModel } from '../../model/index.ts';
import type { ContractModel, Sla } from '../../model/types.ts';
import { k6Plugin } from './plugin.ts';

let model: ContractModel;
let workspace: Workspace;
let runs: Map<string, ScriptRun>;
const runOf = (service: string) => runs.get(workspace.scripts.get(`loadtest/${service}.k6.ts`) ?? '');

beforeAll(async () => {
  const loaded = await loadModel([join(REPO_ROOT, 'asyncapi')], { root: REPO_ROOT });
  expect(loaded.errors.map(formatDiagnosticLine)).toEqual([]);
  model = loaded.model;
  workspace = await scriptWorkspace(await k6Plugin.emit(model, { outDir: 'generated' }));
  runs = await runScripts([...workspace.scripts.values()]);
}, 120_000);
afterAll(() => workspace?.remove());

/** What the contract says each scenario of a publication must meet, written out independently of the plan. */
function expectedThresholds(sla: Sla | undefined, scenario: string): Record<string, string[]> {
  const expected: Record<string, string[]> = {};
  const latency = [
    sla?.publishP95 && `p(95)<${sla.publishP95}`,
    sla?.publishP99 && `p(99)<${sla.publishP99}`,
  ];
  if (latency.some(Boolean))
    expected[`http_req_duration{scenario:${scenario}}`] = latency.filter((t) => typeof t === 'string');
  const success = sla?.deliverySuccessRate;
  if (success !== undefined) {
    // 0.999 -> at most 0.001 failed: rounded to the precision a contract writes rates with.
    expected[`http_req_failed{scenario:${scenario}}`] = [`rate<=${Math.round((1 - success) * 1e9) / 1e9}`];
    expected[`checks{scenario:${scenario}}`] = [`rate>=${success}`];
  }
  expected[`dropped_iterations{scenario:${scenario}}`] = ['count==0'];
  return expected;
}

describe('k6 scripts of the asyncapi/ contracts', () => {
  it('exist for every service that publishes, and only for those', () => {
    const publishing = model.services
      .filter((s) => s.operations.some((op) => op.action === 'send'))
      .map((s) => s.name);
    expect([...workspace.scripts.keys()].sort()).toEqual(publishing.map((s) => `loadtest/${s}.k6.ts`).sort());
  });

  it('run every publication at its contract rate, long enough to judge its thresholds, with its SLAs as thresholds', () => {
    for (const service of model.services) {
      const sends = service.operations.filter((op) => op.action === 'send');
      if (sends.length === 0) continue;
      const run = runOf(service.name)!;
      expect(run.errors, service.name).toEqual([]);
      const expected: Record<string, string[]> = {};
      for (const op of sends) {
        const mine = Object.entries(run.options.scenarios).filter(([, s]) => s.exec === op.id);
        expect(
          mine.map(([name]) => name),
          `${service.name}/${op.id}`,
        ).toEqual([`${op.id}_steady`]);
        const [name, scenario] = mine[0]!;
        const perHour = op.sla?.eventsPerHour;
        if (perHour) expect([scenario.rate, scenario.timeUnit]).toEqual([perHour, '1h']);
        // Every VU exists from the start: k6 drops an arrival that finds none free before it adds one.
        expect(scenario.preAllocatedVUs).toBe(scenario.maxVUs);
        // Five minutes at the contract rate, stretched until 1000 events (one failure tolerated at 99.9 %), for
        // an hour at most.
        const outcome = run.scenarios[name]!;
        if (perHour)
          expect(outcome.iterations).toBe(Math.max(Math.ceil(perHour / 12), Math.min(1000, perHour)));
        expect(outcome.dropped).toBe(0);
        Object.assign(expected, expectedThresholds(op.sla, name));
      }
      expect(run.options.thresholds, service.name).toEqual(expected);
      expect(run.passed, service.name).toBe(true);
    }
  });

  it('type-check against the k6 types', () => {
    expect(k6TypeErrors([...workspace.scripts.values()])).toEqual([]);
  }, 60_000);

  it('send events that a Dapr sidecar accepts and the runtime decodes, and envelopes RabbitMQ consumers read', async () => {
    // The first events of every scenario: enough to cover each destination and message.
    const requests = [...runs.values()].flatMap((run) =>
      run.requests.filter((r, i, all) => all.findIndex((o) => o.scenario === r.scenario) > i - 3),
    );
    const sidecar = await FakeSidecar.start({ pubsubs: ['pubsub'] });
    try {
      for (const request of requests.filter((r) => r.url.includes('/v1.0/publish/'))) {
        const url = request.url.replace(/^http:\/\/127\.0\.0\.1:3500/, sidecar.url);
        const response = await fetch(url, { method: 'POST', body: request.body, headers: request.headers });
        expect(response.status, `${request.url}: ${await response.text()}`).toBe(204);
      }
      expect(sidecar.published).toHaveLength(requests.filter((r) => r.url.includes('/v1.0/publish/')).length);
      for (const event of sidecar.published)
        expect(fromCloudEvent(event.cloudEvent).event_type).toBe(event.cloudEvent.type);
    } finally {
      await sidecar.close();
    }
    const amqp = requests.filter((r) => r.url.includes('/api/exchanges/'));
    expect(amqp.length).toBeGreaterThan(0);
    for (const request of amqp)
      parseEnvelope(JSON.parse((JSON.parse(request.body) as { payload: string }).payload));
    for (const run of runs.values()) expect(run.checks.filter((c) => !c.passed)).toEqual([]);
  }, 60_000);
});
