/**
 * TypeScript's compiler is 9 MB of JavaScript, and compiling it is most of what loading it costs (~150 ms of a
 * cold `generate`'s main thread on a quiet machine). Without Node's compile cache (a machine's first run, a fresh
 * CI runner: cli/compile-cache.ts) `compileTypeScriptAhead` has a worker thread compile it, on the core the
 * main thread leaves idle, while the main thread reads and validates the contracts; the worker hands back V8's
 * code cache of the compiled script, and `loadTypeScript` builds the module from it (about a third of the
 * compile's cost), only when the emitters are loaded. The worker only compiles: it never runs TypeScript, so
 * nothing is loaded twice. With the compile cache on, or whenever the worker fails, it is a plain `require`.
 */
import { readFileSync } from 'node:fs';
import { createRequire, getCompileCacheDir } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { Worker } from 'node:worker_threads';
import type * as TS from 'typescript';

const require = createRequire(import.meta.url);

/** Node's CommonJS wrapper: the worker and the main thread must compile the very same source for V8 to share. */
const wrapped = (source: string) =>
  `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/**
 * Runs in the worker, evaluated from this text: nothing to resolve in dist/ or the bundle. Node's own modules come
 * from `process.getBuiltinModule`, which works whether the worker inherited `--input-type=module` or not.
 */
const COMPILE = `
const { readFileSync } = process.getBuiltinModule('node:fs');
const { Script } = process.getBuiltinModule('node:vm');
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const source = readFileSync(workerData.file, 'utf8');
const script = new Script((${wrapped.toString()})(source), { filename: workerData.file });
const cache = script.createCachedData();
parentPort.postMessage(cache, [cache.buffer]);
`;

let ahead:
  | {
      readonly file: string;
      /** The worker's code cache, or undefined when it failed or TypeScript was needed before it was done. */
      readonly cache: Promise<Uint8Array | undefined>;
      readonly needed: () => void;
    }
  | undefined;

/** How the last `loadTypeScript` got the compiler (for tests and profiles). */
export let typeScriptLoadedBy: 'code cache' | 'compiled here' | 'require' | undefined;

/**
 * Whether a worker would find a core to itself: the load average leaves at least half a core idle, or
 * EVENTWIRE_TYPESCRIPT_AHEAD says (`1`/`0`, for benchmarks). On a machine already busy the worker only takes its
 * core from the main thread (measured in bench/README.md: on two cores at load 5-7 it made cold runs slower).
 */
export function spareCoreForTypeScript(env: NodeJS.ProcessEnv = process.env): boolean {
  const forced = env.EVENTWIRE_TYPESCRIPT_AHEAD;
  if (forced === '1' || forced === '0') return forced === '1';
  return loadavg()[0]! <= availableParallelism() - 0.5;
}

/** Starts compiling TypeScript on a worker thread, unless Node's compile cache will make `require` cheap. */
export function compileTypeScriptAhead(): void {
  if (ahead || getCompileCacheDir() !== undefined) return;
  const file = require.resolve('typescript');
  const worker = new Worker(COMPILE, { eval: true, workerData: { file } });
  // The process may end before TypeScript is needed (a refused --out, invalid contracts): do not hold it.
  worker.unref();
  const compiled = new Promise<Uint8Array | undefined>((resolve) => {
    worker.once('message', (data: Uint8Array) => resolve(data));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  const needed = Promise.withResolvers<undefined>();
  const cache = Promise.race([compiled, needed.promise]).then((data) => {
    // Not done when needed (no core to spare: a busy machine): the main thread compiles it, the worker stops.
    if (!data) void worker.terminate();
    return data;
  });
  ahead = { file, cache, needed: () => needed.resolve(undefined) };
}

/**
 * The emitters are about to run: TypeScript is taken from the worker's code cache if the worker is done, and
 * compiled here at once if not (waiting for a worker that shares its core with other processes can take longer).
 */
export function needTypeScriptNow(): void {
  ahead?.needed();
}

/** TypeScript's compiler API: from the worker's code cache when one was started and done in time, else `require`. */
export async function loadTypeScript(): Promise<typeof TS> {
  const cache = ahead && (await ahead.cache);
  if (!ahead || !cache) {
    typeScriptLoadedBy = 'require';
    return require('typescript') as typeof TS;
  }
  const { file } = ahead;
  const script = new Script(wrapped(readFileSync(file, 'utf8')), { filename: file, cachedData: cache });
  const module = { exports: {} as typeof TS };
  const load = script.runInThisContext() as (...args: unknown[]) => void;
  load.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  typeScriptLoadedBy = script.cachedDataRejected ? 'compiled here' : 'code cache';
  return module.exports;
}
