#!/usr/bin/env node
/** The `eventwire` executable: real process I/O around main(). */
import { defaultCacheDirectory } from '../generators/parse/cache.ts';
import { startCompileCache } from './compile-cache.ts';

// Cache V8 bytecode (and Node's TypeScript stripping) across runs: most of a warm start is module loading.
startCompileCache(defaultCacheDirectory());
const { main } = await import('./main.ts');

// Signal handlers are installed only when a command waits for them (`--watch`): installing them up front would
// swallow Ctrl-C during an ordinary run instead of ending it.
let interrupted: Promise<void> | undefined;
const waitForInterrupt = (): Promise<void> =>
  (interrupted ??= new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  }));

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  get interrupted() {
    return waitForInterrupt();
  },
});
