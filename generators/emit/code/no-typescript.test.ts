/**
 * The emitters build and print their own syntax tree: loading them must not load TypeScript's compiler (9 MB
 * compiled at every cold `generate`). types-plugin.ts is left out while it re-prints json-schema-to-typescript's
 * output through TypeScript (ts-source.ts), which is also the control showing the check sees a load.
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
  './literal.ts',
  './print.ts',
  '../k6/plugin.ts',
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

describe('the code and k6 emitters without TypeScript', () => {
  it('load no typescript module', () => {
    expect(typescriptFilesLoadedBy(EMITTERS)).toEqual([]);
  });

  it('(control) the check sees TypeScript loaded by the library re-printer', () => {
    expect(typescriptFilesLoadedBy(['./ts-source.ts'])).not.toEqual([]);
  });
});
