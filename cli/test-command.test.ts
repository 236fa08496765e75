/**
 * `eventwire test` run as a real process in this repository (its contracts, generated code and handlers):
 * exit codes 0 / 1 / 2, the counterexample and replay line of a failure, the replay itself, and the report
 * files CI keeps.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { REPO as repo, runCli } from './test-process.ts';

let reports: string;

const eventwireTest = (args: string[]) => runCli(['test', ...args], repo);

async function inProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd: repo,
    env: process.env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    interrupted: new Promise<void>(() => {}),
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  await import('node:fs/promises').then((fs) => fs.mkdir(join(repo, '.tmp'), { recursive: true }));
  reports = await mkdtemp(join(repo, '.tmp/test-command-'));
});
afterAll(async () => {
  await rm(reports, { recursive: true, force: true });
});

describe('eventwire test', () => {
  it('exits 0 when every invariant holds, with the counters and the fault coverage table', async () => {
    // Every kind but transient failures, which meet a runtime defect on crash (see harness/README.md).
    const faults =
      'duplicate,redelivery,reorder,crash,lost-confirm,connection-drop,slow-handler,poison,invalid-payload';
    const result = await eventwireTest([
      'identity',
      '--brokers',
      'memory',
      '--runs',
      '60',
      '--seed',
      '4',
      '--faults',
      faults,
    ]);
    expect(result.stderr + result.stdout).toMatch(/all 1 suites hold/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('PASS  identity/onEmailEvent');
    expect(result.stdout).toMatch(/fault coverage/);
    expect(result.stdout).toMatch(
      /totals: attempted \d+ · confirmed \d+ · delivered \d+ · handled \d+ · lost 0/,
    );
  }, 120_000);

  it('exits 1 on a broken consumer: the invariant, the shrunk steps, the timeline, the replay line; and writes the reports', async () => {
    const result = await eventwireTest([
      'order/onCartCheckedOut',
      '--brokers',
      'memory',
      '--variant',
      'process-then-mark',
      '--runs',
      '100',
      '--seed',
      '9',
      '--report',
      reports,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL  order/onCartCheckedOut');
    expect(result.stdout).toContain('invariant broken: duplicated-effect');
    expect(result.stdout).toMatch(/counterexample \(\d steps?, after \d+ shrinks\):\n\s+1\. publish e1/);
    expect(result.stdout).toMatch(/timeline:\n\s+0 ms\s+harness\s+published e1: confirmed/);
    const replay = /replay: npx eventwire test (.+)/.exec(result.stdout)?.[1];
    expect(replay).toMatch(
      /^order\/onCartCheckedOut --brokers memory --seed 9 --path [\d:]+ --variant process-then-mark$/,
    );

    const report = JSON.parse(await readFile(join(reports, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ ok: false, brokers: 'memory', seed: 9 });
    expect(report.suites[0].failure.violations[0].invariant).toBe('duplicated-effect');
    expect(report.suites[0].failure.steps[0]).toMatchObject({
      kind: 'publish',
      event: 'e1',
      text: 'publish e1',
    });
    const junit = await readFile(join(reports, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="eventwire\.order" name="onCartCheckedOut"[^>]*>/);
    expect(junit).toMatch(/<failure message="duplicated-effect: /);
    const html = await readFile(join(reports, 'report.html'), 'utf8');
    expect(html).toContain('class="timeline"');
    expect(html).toContain('Fault coverage');

    // The replay line runs exactly that counterexample again.
    const again = await eventwireTest(replay!.split(' '));
    expect(again.code).toBe(1);
    const steps = (text: string) => /counterexample[^\n]*\n((?:\s+\d\. [^\n]+\n)+)/.exec(text)?.[1];
    expect(steps(again.stdout)).toBe(steps(result.stdout));
  }, 120_000);

  it('prints the report as JSON with --format json', async () => {
    const result = await eventwireTest([
      'identity',
      '--brokers',
      'memory',
      '--runs',
      '5',
      '--seed',
      '1',
      '--faults',
      'duplicate',
      '--format',
      'json',
    ]);
    const report = JSON.parse(result.stdout);
    expect(report.suites.map((suite: { operation: string }) => suite.operation)).toEqual(['onEmailEvent']);
    expect(report.schemaVersion).toBe(1);
  }, 60_000);

  it('exits 2 with a clear message on bad input, never a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['nosuchservice'], /no service 'nosuchservice' in the contracts/],
      [['order/onNothing'], /service order has no receive operation 'onNothing'/],
      [['identity', '--faults', 'duplicate,earthquake'], /unknown fault "earthquake"/],
      [['identity', '--path', '1:2'], /--path replays a counterexample of one seed: give --seed too/],
      [['identity', '--runs', '0'], /--runs must be at least 1/],
      [['identity', '--budget', 'soon'], /--budget must be a duration/],
      [['identity', '--variant', 'nope'], /unknown --variant "nope"/],
      [['auth'], /no receive operation with a handler to test \(2 still scaffold stubs\)/],
    ];
    // In-process through main() (what bin.ts runs), so eight cases do not pay for eight process starts.
    for (const [args, message] of cases) {
      const result = await inProcess(['test', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    // And once as a real process: the message and exit code reach the shell.
    const real = await eventwireTest(['nosuchservice']);
    expect(real.code).toBe(2);
    expect(real.stderr).toMatch(/no service 'nosuchservice'/);
  }, 120_000);
});
