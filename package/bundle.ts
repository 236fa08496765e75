/**
 * The CLI as the package ships it: one ES module bundle (dist/bundle/eventwire.js) plus a chunk per command, built
 * by esbuild from the TypeScript sources after tsc has written dist/. A cold `eventwire generate` then loads a few
 * files instead of resolving, reading and compiling hundreds of modules one by one (measured in bench/README.md).
 *
 * The modules read files beside themselves (`new URL('./x', import.meta.url)`: assets, worker scripts, their own
 * sources to salt caches). In the bundle every module's `import.meta.url` is the URL of its compiled file in
 * dist/ (`dist/generators/parse/cache.js` for generators/parse/cache.ts), which tsc wrote, so each of those reads
 * finds what it found before, and the worker threads run the compiled modules as they did.
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** Packages the bundle leaves to Node: loaded at run time from node_modules, as before. */
export const EXTERNAL: readonly string[] = [
  // A devDependency since the emitters print their own syntax trees: no command may load it, and kept out of the
  // bundle in case one ever does (generators/emit/code/no-typescript.test.ts holds `generate` to that).
  'typescript',
  // Only the commands that need them load these (parser validation, `test`, `load`); most have native or
  // optional parts a bundle would break.
  '@asyncapi/*',
  'testcontainers',
  '@testcontainers/*',
  'ioredis',
  'amqplib',
  'pg',
  'pino',
  'prom-client',
  'playwright-core',
  '@opentelemetry/api',
  'hdr-histogram-js',
  'json-schema-faker',
  'fast-check',
  // Resolved by the package's own name (`eventwire/runtime`...): the generated code imports them from the install.
  'eventwire',
  'eventwire/*',
];

/** The bundle's folder inside the build's, and its entry (bin/eventwire.js runs it). */
export const BUNDLE_FOLDER = 'bundle';
export const BUNDLE_ENTRY = 'eventwire.js';

/** Each module's own location in dist/, where its `import.meta.url` pointed before it was bundled. */
function compiledLocation(root: string, dist: string, bundleFolder: string): Plugin {
  return {
    name: 'compiled-location',
    setup(esbuild) {
      esbuild.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        if (path.includes(`${sep}node_modules${sep}`) || !source.includes('import.meta.')) return undefined;
        const compiled = join(dist, relative(root, path)).replace(/\.ts$/, '.js');
        const fromBundle = relative(bundleFolder, compiled).split(sep).join('/');
        const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
        const folder = `process.getBuiltinModule('node:path').dirname(process.getBuiltinModule('node:url').fileURLToPath(${url}))`;
        return {
          contents: source.replaceAll('import.meta.url', url).replaceAll('import.meta.dirname', folder),
          loader: 'ts',
          resolveDir: dirname(path),
        };
      });
    },
  };
}

/** Bundles the CLI of the sources in `root` into `<dist>/bundle`, beside tsc's output in `dist`. */
/**
 * json-schema-to-typescript requires prettier (800 KB and its parsers) at load time, to format its output, which
 * eventwire never asks it to do (`format: false`, generators/emit/code/types-plugin.ts: its own re-printer,
 * ts-source.ts, prints the types). In the bundle it gets a stand-in that refuses to format instead of loading prettier.
 */
const PRETTIER_STAND_IN = `export function format() {
  throw new Error('eventwire bundles json-schema-to-typescript without prettier: compile with format: false');
}
export default { format };
`;

function withoutPrettier(): Plugin {
  return {
    name: 'without-prettier',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^prettier$/ }, ({ importer }) =>
        importer.includes(`${sep}json-schema-to-typescript${sep}`)
          ? { path: 'prettier', namespace: 'prettier-stand-in' }
          : undefined,
      );
      esbuild.onLoad({ filter: /.*/, namespace: 'prettier-stand-in' }, () => ({
        contents: PRETTIER_STAND_IN,
        loader: 'js',
      }));
    },
  };
}

export async function bundleCli(root: string, dist: string): Promise<void> {
  const outdir = join(dist, BUNDLE_FOLDER);
  await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { [BUNDLE_ENTRY.replace(/\.js$/, '')]: join(root, 'cli/bin.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    external: [...EXTERNAL],
    // Bundled CommonJS packages call `require` for Node's own modules: give the ES module bundle one.
    banner: {
      js: "import { createRequire as __eventwireRequire } from 'node:module';\nconst require = __eventwireRequire(import.meta.url);",
    },
    chunkNames: '[name]-[hash]',
    plugins: [compiledLocation(root, dist, outdir), withoutPrettier()],
    logLevel: 'warning',
    legalComments: 'none',
  });
}
