/**
 * eventwire as a team installs it: `npm pack` (which builds dist/), the tarball installed into a fresh project
 * outside this repository, `eventwire init`, the project's own contracts (Redis Streams and RabbitMQ),
 * `npx eventwire generate` and `check`, the project's `npm test`, `tsc` over the generated code (the k6 scripts
 * and their library included) and a service file, the k6 scripts run from the project's files, `eventwire test` on written handlers, and one event published and handled on each broker through the
 * installed runtime. The project's
 * processes run without this repository's `eventwire-source` condition: they see only what the tarball ships.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVhost, type Vhost } from '../harness/support/rabbitmq.ts';
import { runScripts } from '../loadtest/test/run-scripts.ts';
import { until } from '../harness/support/poll.ts';
import { RedisNamespace } from '../harness/support/redis.ts';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..');
const FIXTURE = join(import.meta.dirname, '__fixtures__/project');

let work: string;
let project: string;
let vhost: Vhost | undefined;
const redis = new RedisNamespace('pack-install');

/**
 * The project's environment: Node 24 of this repository first on PATH, no colours, and nothing of this
 * repository's npm configuration: neither NODE_OPTIONS nor the `npm_config_*` variables npm exports to the
 * processes it starts (`npm_config_node_options` would give the project's npx this repository's source condition).
 */
function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS' && !/^npm_/i.test(name)),
  );
  return { ...env, PATH: `${join(REPO, 'node_modules/node/bin')}:${env.PATH}`, NO_COLOR: '1', ...extra };
}

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function sh(
  command: string,
  args: readonly string[],
  cwd: string,
  env = projectEnv(),
): Promise<Result> {
  try {
    const { stdout, stderr } = await run(command, [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as Result & { code: number | string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(e),
    };
  }
}

function versionOf(name: string): Promise<string> {
  return readFile(join(REPO, 'node_modules', name, 'package.json'), 'utf8').then(
    (text) => (JSON.parse(text) as { version: string }).version,
  );
}

beforeAll(async () => {
  // Outside the repository: nothing may resolve from its node_modules.
  work = await mkdtemp(join(tmpdir(), 'eventwire-pack-'));
  project = join(work, 'team-service');
  await mkdir(project);
  // `npm pack` runs `prepack`, the build; one tarball for every check below.
  const packed = await sh('npm', ['pack', '--pack-destination', work, '--silent'], REPO, {
    ...process.env,
    PATH: `${join(REPO, 'node_modules/node/bin')}:${process.env.PATH}`,
  });
  expect(packed.stderr + packed.stdout, 'npm pack').toMatch(/eventwire-[\d.]+\.tgz/);
  const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  await writeFile(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'team-service', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  // The project has an ajv of its own at the top of node_modules, as many do (eslint 8 brings ajv 6): the
  // generated validators must load the ajv eventwire compiled them for, not this one.
  const ownAjv = join(work, 'ajv-6');
  await mkdir(ownAjv);
  await writeFile(
    join(ownAjv, 'package.json'),
    JSON.stringify({ name: 'ajv', version: '6.12.6', main: 'index.js' }),
  );
  await writeFile(
    join(ownAjv, 'index.js'),
    "module.exports = { version: 'a project ajv 6 without dist/runtime' };\n",
  );
  // From the npm cache where it can (the same versions this repository installed).
  const installed = await sh(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--save-dev',
      join(work, tarball!),
      `typescript@${await versionOf('typescript')}`,
      `@types/node@${await versionOf('@types/node')}`,
      // What init tells a team to install for the k6 scripts' type-check.
      `@types/k6@${await versionOf('@types/k6')}`,
      ownAjv,
    ],
    project,
  );
  expect(installed.code, installed.stderr).toBe(0);
  vhost = await createVhost('pack-install');
}, 600_000);

afterAll(async () => {
  await vhost?.dispose();
  await redis.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed package installed in a fresh project', () => {
  it('ships the build and its assets, not the sources or the tests', async () => {
    const root = join(project, 'node_modules/eventwire');
    const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    const topAjv = JSON.parse(await readFile(join(project, 'node_modules/ajv/package.json'), 'utf8'));
    expect(topAjv.version, "the project's own ajv is the one at the top").toBe('6.12.6');
    expect(manifest.bin.eventwire).toBe('./bin/eventwire.js');
    // node_modules: eventwire's own ajv 8, beside the project's ajv 6.
    expect((await readdir(root)).sort()).toEqual([
      'README.md',
      'bin',
      'dist',
      'node_modules',
      'package.json',
    ]);
    const dist = await readdir(join(root, 'dist'), { recursive: true });
    expect(dist).toContain('runtime/index.d.ts');
    expect(dist).toContain('asyncapi/extensions.schema.json');
    expect(dist).toContain('ci/schemas/config.schema.json');
    expect(
      dist.some((file) => file.startsWith('generators/parse/precompiled/') && file.endsWith('.cjs')),
    ).toBe(true);
    // Sources only where they are an asset: the k6 library `generate` copies next to the k6 scripts.
    const k6Library = (file: string) => /^loadtest\/lib\/[a-z0-9-]+\.ts$/.test(file);
    expect(dist.filter(k6Library).length).toBeGreaterThan(0);
    expect(
      dist.filter(
        (file) => /\.test\.|__fixtures__|\.ts$/.test(file) && !file.endsWith('.d.ts') && !k6Library(file),
      ),
    ).toEqual([]);
  });

  it('validates AsyncAPI 3 with the validators it ships: it resolves the very packages they were compiled for', async () => {
    // A newer @asyncapi/parser or specs than the shipped validators were compiled for makes them stale, and every
    // cold run would validate with the parser instead (seconds more): package.json pins all four.
    const shipped = join(project, 'node_modules/eventwire/dist/generators/parse/shipped-validators.js');
    const script =
      `const { shippedValidators } = await import(${JSON.stringify(shipped)});` +
      " console.log(['3.0.0', '3.1.0'].map((v) => typeof shippedValidators(v)?.resolved).join(' '));";
    const found = await sh('node', ['--input-type=module', '-e', script], project);
    expect(found.stderr).toBe('');
    expect(found.stdout.trim()).toBe('function function');
  });

  it('loads every entry point from plain JavaScript: runtime, harness, testing', async () => {
    const script =
      "const runtime = await import('eventwire/runtime'); const harness = await import('eventwire/harness');" +
      " const testing = await import('eventwire/testing');" +
      ' console.log(typeof runtime.createRuntime, typeof harness.testSubscription, typeof testing.FakeSidecar);';
    const loaded = await sh('node', ['--input-type=module', '-e', script], project);
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout.trim()).toBe('function function function');
  });

  it('init, generate, check and the npm scripts work in the project', async () => {
    const version = await sh('npx', ['eventwire', '--version'], project);
    expect(version.stdout).toBe(
      `eventwire ${JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')).version}\n`,
    );
    const init = await sh('npx', ['eventwire', 'init'], project);
    expect(init.code, init.stderr).toBe(0);
    await cp(join(FIXTURE, 'asyncapi'), join(project, 'asyncapi'), { recursive: true });
    await cp(join(FIXTURE, 'src'), join(project, 'src'), { recursive: true });
    const generate = await sh('npx', ['eventwire', 'generate'], project);
    expect(generate.code, generate.stderr).toBe(0);
    expect(generate.stdout).toMatch(/Generated generated\//);
    const check = await sh('npx', ['eventwire', 'check'], project);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const test = await sh('npm', ['test'], project);
    expect(test.code, test.stdout + test.stderr).toBe(0);
  });

  it('the generated code and a service using it type-check with tsc in the project', async () => {
    const tsc = await sh('npx', ['tsc', '-p', '.'], project);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  });

  it('the generated k6 scripts import only the k6 library written beside them, and run', async () => {
    const dir = join(project, 'generated/loadtest');
    const files = await readdir(dir, { recursive: true });
    const scripts = files.filter((file) => file.endsWith('.k6.ts')).sort();
    expect(scripts).toEqual(['hello.k6.ts', 'mail.k6.ts']);
    // Every relative import stays inside generated/loadtest; the rest are k6's own modules.
    for (const file of files.filter((name) => name.endsWith('.ts'))) {
      const text = await readFile(join(dir, file), 'utf8');
      for (const [, specifier] of text.matchAll(/^(?:import|export)\b[^'"]*\bfrom\s*'([^']+)'/gm)) {
        if (specifier!.startsWith('.')) {
          expect(resolve(dir, file, '..', specifier!).startsWith(`${dir}/`), `${file}: ${specifier}`).toBe(
            true,
          );
        } else expect(specifier, file).toMatch(/^k6(?:\/[a-z-]+)?$/);
      }
    }
    // tsc over them is the test above (@types/k6 installed); here they run, under the k6 runner of this
    // repository's tests, from the project's files only.
    const runs = await runScripts(
      scripts.map((file) => join(dir, file)),
      { env: { PROFILE: 'smoke' } },
    );
    for (const file of scripts) {
      const run = runs.get(join(dir, file))!;
      expect(run.errors, file).toEqual([]);
      expect(run.requests.length, file).toBeGreaterThan(0);
      expect(run.passed, file).toBe(true);
    }
  });

  it('eventwire test runs the harness on written handlers in the project', async () => {
    const args = [
      'eventwire',
      'test',
      'hello',
      '--brokers',
      'memory',
      '--handlers',
      'src/hello-handlers.ts',
      '--seed',
      '7',
    ];
    const harness = await sh('npx', args, project);
    expect(harness.stderr + harness.stdout).toMatch(/PASS {2}hello\/onGreetingSent {2}100 runs/);
    expect(harness.code).toBe(0);
  });

  it.each([
    ['hello', 'Redis Streams', { name: 'Ada' }],
    ['mail', 'RabbitMQ', { recipient: 'ada@example.com' }],
  ])(
    'publishes and handles one %s event on %s through the installed runtime',
    async (service, _broker, data) => {
      const env = projectEnv({ PROBE_PREFIX: redis.prefix, AMQP_URL: vhost!.url });
      const result = await sh('node', ['src/round-trip.ts', service], project, env);
      expect(result.code, result.stderr).toBe(0);
      const seen = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
      expect(seen.received).toBe(seen.sent);
      expect(seen.data).toMatchObject(data);
      expect(seen).toMatchObject({ health: 200, processed: true, deadLetters: true });
    },
  );

  it("README's example service: health and metrics endpoints, the untouched scaffold's failures logged, SIGTERM", async () => {
    const env = projectEnv({
      EVENTWIRE_REDIS_PREFIX: `${redis.prefix}svc:`,
      OPS_PORT: '0',
      LOG_LEVEL: 'info',
    });
    const child = spawn('node', ['src/service.ts'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Record<string, unknown>[] = [];
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete.filter(Boolean)) lines.push(JSON.parse(line));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      await until(
        'the service to start',
        () => lines.some((line) => line.msg === 'hello service started'),
        20_000,
      );
      const url = lines.find((line) => line.msg === 'hello service started')?.ops as string;
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        healthy: true,
        checks: [{ name: 'redis', healthy: true }],
      });
      // The scaffold's handler throws until it is written: the first failure is a warning line, not silence.
      await until('the first retry line', () => lines.some((line) => line.outcome === 'retry'), 20_000);
      expect(lines.find((line) => line.outcome === 'retry')).toMatchObject({
        level: 'warn',
        service: 'hello',
        subscription: 'greeting-sent',
        event_type: 'hello.greeting.sent',
        attempt: 1,
        error: expect.stringContaining('onGreetingSent is not implemented yet'),
      });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^events_published_total\{service="hello",topic="hello.greeting.sent"\} 1$/m);
      expect(metrics).toMatch(/^events_failed_total\{service="hello",topic="hello.greeting.sent"\} [1-9]/m);
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
      expect(lines.at(-1)).toMatchObject({ msg: 'shut down', signal: 'SIGTERM' });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
