/**
 * The harness as k6 would run it: type-checked against k6's own types (loadtest/tsconfig.json), then the shop
 * fixture's generated scripts executed under Node by the k6 runner (fake-k6/), against a broker that accepts and
 * one that refuses everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopModel } from '../../generators/emit/docs/__fixtures__/shop-model.ts';
import { k6Plugin } from '../../generators/emit/k6/plugin.ts';
import { runScripts, type ScriptRun } from './run-scripts.ts';
import { k6ConfigIncludes, k6TypeErrors } from './typecheck.ts';
import { scriptWorkspace, type Workspace } from './workspace.ts';

let workspace: Workspace;
let scripts: string[];
const run = (runs: Map<string, ScriptRun>, service: string) =>
  runs.get(workspace.scripts.get(`loadtest/${service}.k6.ts`)!)!;

beforeAll(async () => {
  workspace = await scriptWorkspace(await k6Plugin.emit(shopModel(), { outDir: 'generated' }));
  scripts = [...workspace.scripts.values()];
});
afterAll(() => workspace?.remove());

describe('the load-test harness', () => {
  it('type-checks with k6 types and without Node types, generated scripts included', () => {
    expect(k6ConfigIncludes()).toContain('../generated/loadtest/**/*.ts');
    expect(k6TypeErrors()).toEqual([]);
    expect(k6TypeErrors(scripts)).toEqual([]);
  }, 60_000);

  it('publishes every scheduled iteration of the smoke profile, twice while dual publishing is on', async () => {
    const runs = await runScripts(scripts, { env: { PROFILE: 'smoke' } });
    const catalog = run(runs, 'catalog');
    expect(catalog.errors).toEqual([]);
    const count = (r: ScriptRun, scenario: string) =>
      r.requests.filter((q) => q.scenario === scenario).length;
    // catalog's publishP99 needs 500 events above nothing but its p99: the smoke run sends exactly that many.
    expect(catalog.scenarios.publishProductCreated_smoke?.iterations).toBe(500);
    expect(count(catalog, 'publishProductCreated_smoke')).toBe(500);
    const notification = run(runs, 'notification');
    expect(count(notification, 'publishEmailRequested_smoke')).toBe(1000);
    const off = await runScripts(scripts, { env: { PROFILE: 'smoke', ENABLE_DUAL_PUBLISH: 'false' } });
    expect(count(run(off, 'notification'), 'publishEmailRequested_smoke')).toBe(500);
    for (const r of runs.values()) {
      expect(r.checks.every((c) => c.passed)).toBe(true);
      expect(r.passed).toBe(true);
    }
  }, 60_000);

  it('fails its checks, and its error thresholds, when the broker refuses', async () => {
    const runs = await runScripts(scripts, { env: { PROFILE: 'smoke', FAKE_K6_STATUS: '500' } });
    const checks = [...runs.values()].flatMap((r) => r.checks);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.filter((c) => c.passed)).toEqual([]);
    expect(new Set(checks.map((c) => c.name))).toEqual(
      new Set(['sidecar answered 204', 'broker routed the message']),
    );
    const catalog = run(runs, 'catalog');
    expect(catalog.passed).toBe(false);
    expect(catalog.thresholds['http_req_failed{scenario:publishProductCreated_smoke}']).toEqual([
      { rule: 'rate<=0.001', passed: false, value: 1 },
    ]);
  }, 60_000);
});
