/**
 * The CLI as users run it: `npx eventwire` in a project runs the installed package's bundle (package/bundle.ts),
 * not this checkout's TypeScript sources. The benchmarks build the package into a folder of their own (so they
 * never race a build of dist/) and time that bundle, with the environment an install has: no `eventwire-source`
 * condition in NODE_OPTIONS.
 */
import { join } from 'node:path';
import { build } from '../../package/build.ts';
import { BUNDLE_ENTRY, BUNDLE_FOLDER } from '../../package/bundle.ts';

/** Builds the package into `<repo>/.tmp/bench-dist` and returns the bundled CLI's entry. */
export async function builtCli(repo: string): Promise<string> {
  const dist = join(repo, '.tmp/bench-dist');
  console.error('Building the package (npm run build) into .tmp/bench-dist...');
  await build(dist);
  return join(dist, BUNDLE_FOLDER, BUNDLE_ENTRY);
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
