/** `eventwire load` refuses bad input and unreachable brokers with exit 2 and a message a user can act on. */
import { execFile } from 'node:child_process';
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
