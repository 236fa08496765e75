/**
 * `npm run build`: the publishable package in dist/. TypeScript compiles the shipped folders (tsconfig.build.json:
 * JavaScript + declarations, `.ts` import specifiers rewritten to `.js`); then the files the code reads at run
 * time beside itself are copied to the same place under dist/, so every `new URL(x, import.meta.url)` finds them.
 * Runs before `npm pack` and `npm publish` (the `prepack` script).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

/** Read at run time, relative to the module that reads them. */
export const ASSETS: readonly string[] = [
  // The AsyncAPI structure validators, compiled ahead of time (generators/parse/structure-validators.ts).
  'generators/parse/precompiled',
  // The x-eventwire-* extension schema (generators/model/extensions.ts).
  'asyncapi/extensions.schema.json',
  // eventwire.config.json's schema and the output schemas of check and diff (ci/src/config/config.ts).
  'ci/schemas',
  // The load report's page script (loadtest/report/html.ts).
  'loadtest/report/page.js',
];

export function build(): void {
  rmSync(dist, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (compiled.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${compiled.status})`);
  for (const asset of ASSETS) {
    const from = join(root, asset);
    if (!existsSync(from)) throw new Error(`build: ${asset} is missing (listed in package/build.ts ASSETS)`);
    cpSync(from, join(dist, asset), { recursive: true });
  }
}

if (import.meta.main) {
  try {
    build();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
