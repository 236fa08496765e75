/** `eventwire load` refuses bad input and unreachable brokers with exit 2 and a message a user can act on. */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './workspace.ts';

const run = promisify(execFile);

async function load(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      join(REPO_ROOT, 'node_modules/.bin/node'),
      [join(REPO_ROOT, 'cli/bin.ts'), 'load', ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('eventwire load, bad input', () => {
  it.each([
    [['order', '--profile', 'stress'], /--profile must be one of smoke, steady, peak, soak \(got "stress"\)/],
    [['order', '--duration', '500ms'], /--duration 500ms is not a duration of at least 1s/],
    [['order', '--rate-scale', '0'], /--rate-scale must be a positive number/],
    [['ordr'], /no service "ordr" in the contracts \(services: analytics, auth, catalog/],
    [['order', '--profile', 'peak'], /no operation declares x-eventwire-sla.peakPerSecond/],
    [
      ['order', '--operations', 'publishNothing'],
      /--operations names no send operation of order: publishNothing/,
    ],
    [
      ['order', 'identity'],
      /order, identity use different brokers \(redis-streams, rabbitmq\): load them in separate runs/,
    ],
    [['order', '--brokers', 'containers'], /--brokers containers .* is not available yet/],
  ])(
    '%j exits 2',
    async (args, message) => {
      const result = await load([...args, '--engine', 'node']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
    60_000,
  );

  it('names the broker it cannot reach and how to point at another', async () => {
    const result = await load(['order', '--engine', 'node'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /Redis at redis:\/\/127\.0\.0\.1:1 did not answer \(.+\)\. Start it, or point REDIS_URL at one\./,
    );
  }, 60_000);
});

describe('eventwire load --engine k6', () => {
  /** A `k6` on PATH that records how it was called and exits as told. */
  async function fakeK6(exit: number): Promise<{ dir: string; calls: () => Promise<string> }> {
    const dir = await mkdtemp(join(tmpdir(), 'eventwire-fake-k6-'));
    const log = join(dir, 'calls');
    await writeFile(join(dir, 'k6'), `#!/bin/sh\necho "$@" >> ${log}\nexit ${exit}\n`);
    await chmod(join(dir, 'k6'), 0o755);
    return { dir, calls: () => readFile(log, 'utf8') };
  }

  it.each([
    [0, 0],
    [99, 1],
    [107, 2],
  ])(
    'is the default where k6 is on PATH, runs the generated script with the profile, and maps k6 exit %d to %d',
    async (k6Exit, exit) => {
      const k6 = await fakeK6(k6Exit);
      try {
        const result = await load(
          ['order', '--profile', 'smoke', '--rate-scale', '2', '--report', join(k6.dir, 'report')],
          {
            PATH: `${k6.dir}:${process.env.PATH ?? ''}`,
          },
        );
        expect(result.code).toBe(exit);
        expect(await k6.calls()).toMatch(
          /^run -e PROFILE=smoke -e RATE_SCALE=2 --summary-export \S+order\.k6-summary\.json \S+generated\/loadtest\/order\.k6\.ts$/m,
        );
      } finally {
        await rm(k6.dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
