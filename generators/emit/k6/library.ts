/**
 * The k6 library the scripts import, written beside them (`loadtest/lib/*.ts` of the output directory) so a
 * script runs wherever the output is: k6 cannot import npm packages by name, only relative files and URLs.
 * The library is hand-written code (loadtest/lib of the eventwire package, the same modules the Node load engine
 * uses), copied as it is and stamped as generated; the package ships those sources as an asset (package/build.ts)
 * so the installed generator finds them at the same place relative to this module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { GeneratedFile } from '../../pipeline/plugin.ts';

/** Where the library goes, relative to the scripts (`loadtest/`). */
export const LIBRARY_DIR = 'lib';
export const LIBRARY_ENTRY = `./${LIBRARY_DIR}/index.ts`;

const SOURCE = new URL('../../../loadtest/lib/', import.meta.url);

let modules: readonly { readonly name: string; readonly contents: string }[] | undefined;

/** The library's modules, read once: they change with the package, never with the contracts. */
function libraryModules() {
  modules ??= readdirSync(SOURCE)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => ({ name, contents: readFileSync(new URL(name, SOURCE), 'utf8') }));
  if (modules.length === 0) throw new Error(`the k6 library is missing from ${SOURCE.pathname}`);
  return modules;
}

/** The library's files under `scriptsDir`; they come from no contract, so they name none. */
export function k6Library(scriptsDir: string): readonly GeneratedFile[] {
  return libraryModules().map(({ name, contents }) => ({
    path: `${scriptsDir}/${LIBRARY_DIR}/${name}`,
    contents,
    ownership: 'generated',
    sources: [],
  }));
}
