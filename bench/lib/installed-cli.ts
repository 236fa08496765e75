/**
 * The CLI as users run it: `npx eventwire` in a project runs the *installed* package's bundle (package/bundle.ts),
 * with the dependency versions a fresh install resolves, not this checkout's TypeScript sources nor its lockfile.
 * The benchmarks build the package into a folder of their own (so they never race a build of dist/), pack that
 * build as `npm pack` would (package.json, README, bin/, dist/), install the tarball into a new project outside
 * the repository (nothing may resolve from its node_modules) and time the installed CLI, with the environment an
 * install has: no `eventwire-source` condition in NODE_OPTIONS.
 *
 * Timing this repository's own bundle hid that a fresh install resolved a newer @asyncapi/parser than the shipped
 * validators were compiled for, and validated every cold run with the parser (bench/README.md, 2026-12-08).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from '../../package/build.ts';

const run = promisify(execFile);

/** Builds, packs and installs the package; returns the installed `eventwire` executable. */
export async function installedCli(repo: string): Promise<string> {
  const dist = join(repo, '.tmp/bench-dist');
  console.error('Building the package (npm run build) into .tmp/bench-dist...');
  await build(dist);
  const work = join(tmpdir(), 'eventwire-bench-install');
  await rm(work, { recursive: true, force: true });
  const staged = join(work, 'package');
  await mkdir(staged, { recursive: true });
  for (const name of ['package.json', 'README.md', 'bin'])
    await cp(join(repo, name), join(staged, name), { recursive: true });
  await cp(dist, join(staged, 'dist'), { recursive: true });
  const npm = { env: npmEnv(repo), maxBuffer: 16 * 1024 * 1024 };
  // The build is the one above: no prepack build of this repository's dist/.
  await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], {
    ...npm,
    cwd: staged,
  });
  const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${work}`);
  const project = join(work, 'project');
  await mkdir(project);
  await writeFile(
    join(project, 'package.json'),
    '{ "name": "bench-project", "private": true, "type": "module" }\n',
  );
  console.error(`Installing it into ${project} (npm install, from the npm cache where it can)...`);
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', join(work, tarball)],
    {
      ...npm,
      cwd: project,
    },
  );
  return join(project, 'node_modules/eventwire/bin/eventwire.js');
}

/** This repository's Node first on PATH, and none of its npm configuration (npm_config_*, NODE_OPTIONS). */
function npmEnv(repo: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS' && !/^npm_/i.test(name)),
  );
  return { ...env, PATH: `${join(repo, 'node_modules/node/bin')}:${env.PATH}` };
}

/** The environment of a project that installed eventwire: this repository's source condition removed. */
export function installedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: options, ...rest } = env;
  const kept = (options ?? '')
    .split(/\s+/)
    .filter((flag) => flag !== '' && flag !== '--conditions=eventwire-source')
    .join(' ');
  return kept ? { ...rest, NODE_OPTIONS: kept } : rest;
}
