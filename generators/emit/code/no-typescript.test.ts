/**
 * The emitters build and print their own syntax tree, and re-print json-schema-to-typescript's output with a
 * parser and printer of their own (ts-source.ts): `generate` must not load TypeScript's compiler (9 MB, ~0.45 s
 * of CPU compiled at every cold start). The control is the tests' own TypeScript printer, which does load it.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const EMITTERS = [
  './contract-plugin.ts',
  './consumer-plugin.ts',
  './handlers-scaffold-plugin.ts',
  './index-plugin.ts',
  './publisher-plugin.ts',
  './validators-plugin.ts',
  './types-plugin.ts',
  './ts-source.ts',
  './literal.ts',
  './print.ts',
  '../k6/plugin.ts',
  '../index.ts',
  '../../../cli/commands/generate.ts',
];

/** The typescript package's files a fresh Node process has loaded after importing the modules. */
function typescriptFilesLoadedBy(modules: readonly string[]): string[] {
  const urls = modules.map((m) => new URL(m, import.meta.url).href);
  const script = `
    import { createRequire } from 'node:module';
    for (const url of ${JSON.stringify(urls)}) await import(url);
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify(loaded.filter((file) => /[\\\\/]node_modules[\\\\/]typescript[\\\\/]/.test(file))));
  `;
  const output = execFileSync(
    process.execPath,
    ['--conditions=eventwire-source', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  return JSON.parse(output) as string[];
}

describe('generate and its emitters without TypeScript', () => {
  it('load no typescript module', () => {
    expect(typescriptFilesLoadedBy(EMITTERS)).toEqual([]);
  });

  it('(control) the check sees TypeScript loaded by the test-only TypeScript printer', () => {
    expect(typescriptFilesLoadedBy(['../test-support/typescript-printer.ts'])).not.toEqual([]);
  });
});
