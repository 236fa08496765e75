/**
 * `--watch` latency: start one watching process, then edit one contract at a time and time how long it takes
 * until the process reports the regenerated output. The edit changes a description, as a user typing would.
 */
import { spawn } from 'node:child_process';
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

export async function measureWatch(setup: WatchSetup): Promise<number[]> {
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
  const samples: number[] = [];
  try {
    for (let i = 0; i < setup.edits; i++) {
      const done = nextRun();
      const started = performance.now();
      await writeFile(file, original.replace(/^(\s*title:.*)$/m, `$1 (edit ${i} ${session})`));
      await done;
      samples.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await writeFile(file, original);
    child.kill('SIGINT');
  }
  return samples;
}
