/**
 * `--watch`: regenerate when a contract changes. Editors save in bursts (temp file, rename, chmod), so events are
 * coalesced for a short quiet period (long enough for one save's events, which arrive within a millisecond or
 * two, short against the run itself), and a change that arrives during a run schedules exactly one more run.
 */
import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CliIo } from './io.ts';

const QUIET_MS = 10;

export async function watchContracts(
  inputs: readonly string[],
  run: () => Promise<unknown>,
  io: CliIo,
): Promise<void> {
  const roots = await Promise.all(inputs.map(async (p) => ((await stat(p)).isDirectory() ? p : dirname(p))));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;

  const trigger = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void fire(), QUIET_MS);
  };
  const fire = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = run().catch((error: unknown) =>
      io.stderr(`${error instanceof Error ? error.message : String(error)}\n`),
    );
    await running;
    running = undefined;
    if (again) {
      again = false;
      void fire();
    }
  };

  const watchers = [...new Set(roots)].map((root) =>
    watch(root, { recursive: true }, (_event, name) => {
      if (name === null || /\.(ya?ml|json)$/.test(name)) trigger();
    }),
  );
  io.stderr(`Watching ${roots.length} path(s) for contract changes. Press Ctrl-C to stop.\n`);
  await io.interrupted;
  clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
}
