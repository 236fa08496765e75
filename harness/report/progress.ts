/**
 * The progress line while suites run, on stderr: suite, runs done, faults injected so far by kind, time left in
 * the budget. On a terminal it rewrites itself; elsewhere (CI logs) it prints a line every few seconds.
 */
import type { HarnessProgress } from '../engine/harness-run.ts';
import { duration } from './timeline.ts';

interface ProgressIo {
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function progressText(progress: HarnessProgress): string {
  const { current } = progress;
  const faults = Object.entries(progress.faults)
    .filter(([, times]) => (times ?? 0) > 0)
    .map(([fault, times]) => `${fault} ${times}`)
    .join(', ');
  const budget = progress.budgetLeftMs !== undefined ? ` · ${duration(progress.budgetLeftMs)} left` : '';
  return (
    `[${progress.suite}/${progress.suites}] ${current.target.service}/${current.target.operation}` +
    `${current.shrinking ? ' (shrinking a failure)' : ''} · ${progress.runsDone} runs` +
    `${faults ? ` · faults: ${faults}` : ''}${budget}`
  );
}

export function progressLine(io: ProgressIo, isTty = process.stderr.isTTY === true) {
  let last = 0;
  let shown = false;
  return {
    update(progress: HarnessProgress): void {
      const now = performance.now();
      if (now - last < (isTty ? 100 : 5000)) return;
      last = now;
      const text = progressText(progress);
      if (isTty) {
        io.stderr(`\r\u001b[2K${text.slice(0, (process.stderr.columns ?? 120) - 1)}`);
        shown = true;
      } else {
        io.stderr(`${text}\n`);
      }
    },
    done(): void {
      if (shown) io.stderr('\r\u001b[2K');
    },
  };
}
