/**
 * The Node runner of k6 scripts honours what k6 does with a script's options: arrival-rate scheduling with a VU
 * pool that drops iterations, startTime and durations, k6's option validation, threshold evaluation, and
 * `execution.scenario` only inside an iteration. Each case is a small script k6 itself would run.
 */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateThresholds } from './fake-k6/thresholds.ts';
import { parseMetricKey } from './fake-k6/validate.ts';
import { runScripts } from './run-scripts.ts';
import { REPO_ROOT } from './workspace.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eventwire-k6-runner-'));
  await symlink(join(REPO_ROOT, 'loadtest'), join(dir, 'loadtest'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function script(
  name: string,
  options: object,
  body = "http.post('http://sidecar/x', '{}');",
): Promise<string> {
  const path = join(dir, `${name}.k6.ts`);
  await writeFile(
    path,
    `import http from 'k6/http';\nexport const options = ${JSON.stringify(options)};\nexport function publish() {\n  ${body}\n}\n`,
  );
  return path;
}

const peak = (preAllocatedVUs: number) => ({
  scenarios: {
    op_peak: {
      executor: 'constant-arrival-rate',
      exec: 'publish',
      rate: 50,
      timeUnit: '1s',
      duration: '10s',
      preAllocatedVUs,
      maxVUs: 50,
    },
  },
  thresholds: { 'dropped_iterations{scenario:op_peak}': ['count==0'] },
});

describe('the k6 runner', () => {
  it('drops arrivals that find no free VU before it adds one: the old peak sizing fails at 150 ms', async () => {
    const old = await script('old-peak', peak(5));
    const sized = await script('sized-peak', peak(50));
    const runs = await runScripts([old, sized], { env: { FAKE_K6_LATENCY_MS: '150' } });
    const before = runs.get(old)!;
    expect(before.errors).toEqual([]);
    expect(before.scenarios.op_peak!.dropped).toBeGreaterThan(0);
    expect(before.scenarios.op_peak!.iterations + before.scenarios.op_peak!.dropped).toBe(500);
    expect(before.passed).toBe(false);
    const after = runs.get(sized)!;
    expect(after.scenarios.op_peak).toMatchObject({ iterations: 500, dropped: 0 });
    expect(after.passed).toBe(true);
  }, 60_000);

  it('starts a scenario at its startTime and schedules one arrival per period', async () => {
    const path = await script('start', {
      scenarios: {
        late: {
          executor: 'constant-arrival-rate',
          exec: 'publish',
          rate: 2,
          timeUnit: '1s',
          duration: '3s',
          startTime: '10s',
          preAllocatedVUs: 1,
        },
      },
    });
    const run = (await runScripts([path])).get(path)!;
    expect(run.requests.map((r) => r.at)).toEqual([10_000, 10_500, 11_000, 11_500, 12_000, 12_500]);
  }, 60_000);

  it('refuses what k6 refuses: sub-second durations, unknown fields, thresholds on unknown metrics or methods', async () => {
    const path = await script('invalid', {
      scenarios: {
        short: {
          executor: 'constant-arrival-rate',
          exec: 'publish',
          rate: 1,
          duration: '500ms',
          preAllocatedVUs: 1,
        },
        typo: { executor: 'shared-iterations', exec: 'publish', iteration: 3 },
      },
      thresholds: { 'http_req_latency{scenario:short}': ['p(95)<10'], checks: ['p(95)<10'] },
    });
    const run = (await runScripts([path])).get(path)!;
    expect(run.errors).toEqual([
      'scenario short: the duration must be at least 1s, but is 500ms',
      'scenario typo: json: unknown field "iteration"',
      'invalid threshold defined on http_req_latency{scenario:short}; reason: no metric name "http_req_latency{scenario:short}" found',
      'invalid threshold "p(95)<10" applied on metric checks; reason: unsupported aggregation method p on metric of type rate. supported aggregation methods for this metric are: rate',
    ]);
    expect(run.requests).toEqual([]);
  }, 60_000);

  it('throws on execution.scenario outside an iteration, as k6 does', async () => {
    const path = join(dir, 'init.k6.ts');
    await writeFile(
      path,
      "import execution from 'k6/execution';\nconst name = execution.scenario.name;\nexport const options = {};\nexport default function () { return name; }\n",
    );
    await expect(runScripts([path])).rejects.toThrow(
      /getting scenario information outside of the VU context is not supported/,
    );
  }, 60_000);
});

describe('threshold evaluation', () => {
  const samples = (metric: string, values: number[], tags: Record<string, string> = {}) =>
    values.map((value, i) => ({ metric, value, tags, time: i }));
  const metrics = new Map([
    ['http_req_duration', 'trend' as const],
    ['checks', 'rate' as const],
  ]);

  it("takes a Trend's percentile by k6's linear interpolation and filters by tag", () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    const result = evaluateThresholds(
      { 'http_req_duration{scenario:a}': ['p(95)<19.1', 'p(95)<19'], http_req_duration: ['max<=20'] },
      metrics,
      [
        ...samples('http_req_duration', values, { scenario: 'a' }),
        ...samples('http_req_duration', [500], { scenario: 'b' }),
      ],
      1000,
      parseMetricKey,
    );
    // k6 TrendSink.P: i = 0.95 * 19 = 18.05 -> 19 + 0.05 * (20 - 19)
    expect(result['http_req_duration{scenario:a}']!.map((r) => [r.passed, r.value])).toEqual([
      [true, 19.05],
      [false, 19.05],
    ]);
    expect(result.http_req_duration![0]!.passed).toBe(false);
  });

  it('passes a rate threshold that has no samples, as k6 does', () => {
    const result = evaluateThresholds(
      { 'checks{scenario:none}': ['rate>=0.999'] },
      metrics,
      samples('checks', [1, 0]),
      1000,
      parseMetricKey,
    );
    expect(result['checks{scenario:none}']).toEqual([{ rule: 'rate>=0.999', passed: true }]);
  });
});
