/**
 * `npm run build`: the publishable package in dist/. TypeScript compiles the shipped folders (tsconfig.build.json:
 * JavaScript + declarations, `.ts` import specifiers rewritten to `.js`); then the files the code reads at run
 * time beside itself are copied to the same place under dist/, so every `new URL(x, import.meta.url)` finds them.
 * Last, the CLI is bundled (package/bundle.ts): the `eventwire` executable runs the bundle, which loads a few files
 * where the compiled modules are hundreds. Runs before `npm pack` and `npm publish` (the `prepack` script).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { bundleCli } from './bundle.ts';

const root = resolve(import.meta.dirname, '..');

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
  // The k6 library's sources, which `generate` writes beside the k6 scripts (generators/emit/k6/library.ts):
  // k6 runs them as TypeScript in the team's project, so they ship as sources next to their compiled form.
  'loadtest/lib',
];

/** `dist` is the package's folder; a test builds into a folder of its own (inside the repository, for node_modules). */
export async function build(dist = join(root, 'dist')): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const compiled = spawnSync(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', dist],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (compiled.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${compiled.status})`);
  const unresolved = unrewrittenImports(dist);
  if (unresolved.length > 0) {
    throw new Error(
      `build: these modules still import .ts files, which the package does not ship:\n  ${unresolved.join('\n  ')}\n` +
        '  (tsc leaves dynamic imports after `await using` in one block unrewritten: move them out of it)',
    );
  }
  for (const asset of ASSETS) {
    const from = join(root, asset);
    if (!existsSync(from)) throw new Error(`build: ${asset} is missing (listed in package/build.ts ASSETS)`);
    cpSync(from, join(dist, asset), { recursive: true });
  }
  await bundleCli(root, dist);
}

/** `file:line` of every relative import of a `.ts` file left in the emitted JavaScript. */
export function unrewrittenImports(folder: string): string[] {
  const found: string[] = [];
  for (const file of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js')) continue;
    readFileSync(join(folder, file), 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (
          /^\s*(?:import|export)\b[^'"]*\bfrom\s*['"]\.{1,2}\/[^'"]*\.ts['"]|\bimport\(\s*['"]\.{1,2}\/[^'"]*\.ts['"]\s*\)/.test(
            line,
          )
        )
          found.push(`${file}:${index + 1}`);
      });
  }
  return found;
}

if (import.meta.main) {
  try {
    await build();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
