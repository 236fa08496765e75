/**
 * The harness as k6 would run it: type-checked against k6's own types (loadtest/tsconfig.json), then the shop
 * fixture's generated scripts executed under Node with fakes of the k6 modules, against a broker that accepts
 * and one that refuses everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopModel } from '../../generators/emit/docs/__fixtures__/shop-model.ts';
import { k6Plugin } from '../../generators/emit/k6/plugin.ts';
import { runScripts } from './run-scripts.ts';
import { k6ConfigIncludes, k6TypeErrors } from './typecheck.ts';
import { scriptWorkspace, type Workspace } from './workspace.ts';

let workspace: Workspace;
let scripts: string[];

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

  it('publishes every iteration of every scenario, twice while dual publishing is on', async () => {
    const runs = await runScripts(scripts, { iterations: 4 });
    const catalog = runs.get(workspace.scripts.get('loadtest/catalog.k6.ts')!)!;
    const count = (run: typeof catalog, scenario: string) =>
      run.requests.filter((r) => r.scenario === scenario).length;
    expect(count(catalog, 'publishProductCreated_steady')).toBe(4);
    expect(count(catalog, 'publishProductCreated_peak')).toBe(4);
    const notification = runs.get(workspace.scripts.get('loadtest/notification.k6.ts')!)!;
    expect(count(notification, 'publishEmailRequested_smoke')).toBe(8);
    const off = await runScripts(scripts, { iterations: 4, env: { ENABLE_DUAL_PUBLISH: 'false' } });
    expect(
      count(off.get(workspace.scripts.get('loadtest/notification.k6.ts')!)!, 'publishEmailRequested_smoke'),
    ).toBe(4);
    for (const run of runs.values()) expect(run.checks.every((c) => c.passed)).toBe(true);
  }, 60_000);

  it('fails its checks when the broker refuses', async () => {
    const runs = await runScripts(scripts, { iterations: 2, env: { FAKE_K6_STATUS: '500' } });
    const checks = [...runs.values()].flatMap((run) => run.checks);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.filter((c) => c.passed)).toEqual([]);
    expect(new Set(checks.map((c) => c.name))).toEqual(
      new Set(['sidecar answered 204', 'broker routed the message']),
    );
  }, 60_000);
});
