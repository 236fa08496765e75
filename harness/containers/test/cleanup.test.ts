/**
 * Containers never outlive the run: removed on Ctrl-C, swept by the next run when their process was killed
 * outright; and what cannot start fails with the reason and the fix, never by pulling from a registry.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ImageName } from 'testcontainers';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../support/poll.ts';
import { dockerEngine, ImageMissingError, sweepOrphans } from '../engine.ts';
import { startRedis } from '../redis.ts';

const fixture = fileURLToPath(new URL('./fixtures/hold-redis.ts', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/**
 * Starts the fixture and resolves with the first line it prints. `withoutEngine`: in a mount namespace where
 * the engine's socket is /dev/null, as on a machine where no engine runs.
 */
async function holdRedis(
  withoutEngine = false,
): Promise<{ child: ChildProcess; line: { id?: string; error?: string } }> {
  const hideSocket = 'mount --bind /dev/null /var/run/docker.sock && exec "$0" "$@"';
  const child = withoutEngine
    ? spawn('unshare', ['--mount', 'sh', '-c', hideSocket, process.execPath, fixture], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    : spawn(process.execPath, [fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  return { child, line: JSON.parse(first) };
}

async function exists(id: string): Promise<boolean> {
  const client = await dockerEngine();
  try {
    await client.container.getById(id).inspect();
    return true;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return false;
    throw e;
  }
}

describe('containers are always removed', () => {
  it('Ctrl-C (SIGINT) removes the containers of the interrupted process', async () => {
    const { child, line } = await holdRedis();
    expect(line.id).toBeDefined();
    expect(await exists(line.id!)).toBe(true);
    child.kill('SIGINT');
    await once(child, 'exit');
    expect(await exists(line.id!)).toBe(false);
  }, 60_000);

  it('a process killed outright leaves its container to the next run, which sweeps it', async () => {
    const { child, line } = await holdRedis();
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await exists(line.id!)).toBe(true);
    await sweepOrphans(await dockerEngine());
    await until('orphan removed', async () => !(await exists(line.id!)));
  }, 60_000);
});

describe('what cannot start says why', () => {
  it('no engine: the error names the reason and how to start one', async () => {
    const { line } = await holdRedis(true);
    expect(line.error).toMatch(/no Docker engine answers \(.+\)/);
    expect(line.error).toContain('npm run containers:prepare');
  }, 60_000);

  it('an image the engine does not have is an error naming the setting, and nothing is pulled', async () => {
    const missing = 'eventwire-missing/redis:0';
    const saved = process.env.EVENTWIRE_REDIS_IMAGE;
    process.env.EVENTWIRE_REDIS_IMAGE = missing;
    try {
      const failure = await startRedis().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ImageMissingError);
      expect((failure as Error).message).toContain(`"${missing}" (set by EVENTWIRE_REDIS_IMAGE)`);
      expect((failure as Error).message).toContain('never pulls');
    } finally {
      if (saved === undefined) delete process.env.EVENTWIRE_REDIS_IMAGE;
      else process.env.EVENTWIRE_REDIS_IMAGE = saved;
    }
    expect(await (await dockerEngine()).image.exists(ImageName.fromString(missing))).toBe(false);
  });
});
