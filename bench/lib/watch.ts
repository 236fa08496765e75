/**
 * `--watch` latency: start one watching process, then edit one contract at a time and time two moments: when
 * the regenerated output holds the edit (a file in the output folder contains the edited text; `--watch`
 * writes before the parser's verdict) and when the process reports the run done (the parser confirmed the
 * edit). The edit changes a title, as a user typing would.
 */
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface WatchSetup {
  readonly node: string;
  readonly cli: string;
  readonly contracts: string;
  readonly out: string;
  readonly edits: number;
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface WatchSamples {
  /** Edit to the first output file holding the edit. */
  readonly written: number[];
  /** Edit to the run's report, after the parser's verdict. */
  readonly confirmed: number[];
}

/** Resolves when a file under `folder` contains `text`. */
function outputContaining(folder: string, text: string): { done: Promise<void>; stop(): void } {
  const { promise, resolve } = Promise.withResolvers<void>();
  const watcher = watch(folder, { recursive: true }, (_event, name) => {
    if (name === null) return;
    readFile(join(folder, name), 'utf8').then(
      (contents) => contents.includes(text) && resolve(),
      () => undefined,
    );
  });
  return { done: promise.finally(() => watcher.close()), stop: () => watcher.close() };
}

export async function measureWatch(setup: WatchSetup): Promise<WatchSamples> {
  const child = spawn(setup.node, [setup.cli, 'generate', setup.contracts, '--out', setup.out, '--watch'], {
    cwd: setup.cwd,
    env: setup.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.startsWith('Generated')) waiters.shift()?.();
  });
  const nextRun = () => new Promise<void>((resolve) => waiters.push(resolve));
  await nextRun();
  // Edits are timed in a settled session: the first run's start-up (the parser loading on its worker) is what
  // the cold and warm rows measure.
  await new Promise((r) => setTimeout(r, 2000));

  const file = join(
    setup.contracts,
    (await readdir(setup.contracts)).filter((n) => n.endsWith('.yaml')).sort()[0]!,
  );
  const original = await readFile(file, 'utf8');
  // Never seen before: an edit of an earlier session would find its validation verdict cached.
  const session = `${process.pid}-${Date.now()}`;
  const samples: WatchSamples = { written: [], confirmed: [] };
  try {
    for (let i = 0; i < setup.edits; i++) {
      const marker = `(edit ${i} ${session})`;
      const done = nextRun();
      const output = outputContaining(setup.out, marker);
      const started = performance.now();
      await writeFile(file, original.replace(/^(\s*title:.*)$/m, `$1 ${marker}`));
      const written = output.done.then(() => performance.now() - started);
      // A run that is never reported (an edit the watcher missed) fails the measurement instead of hanging it.
      await Promise.race([done, timeout(30_000, output, `no run was reported within 30 s of edit ${i}`)]);
      samples.confirmed.push(performance.now() - started);
      samples.written.push(await Promise.race([written, timeout(5000, output)]));
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await writeFile(file, original);
    child.kill('SIGINT');
  }
  return samples;
}

function timeout(ms: number, output: { stop(): void }, message?: string): Promise<never> {
  return new Promise((_, reject) =>
    setTimeout(() => {
      output.stop();
      reject(new Error(message ?? `no output file contained the edit ${ms} ms after the run was reported`));
    }, ms).unref(),
  );
}
