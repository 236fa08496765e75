/** Running the `eventwire` executable as a real process from a test: exit code, stdout and stderr. */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO = resolve(import.meta.dirname, '..');
const node = join(REPO, 'node_modules/.bin/node');
const bin = join(REPO, 'cli/bin.ts');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Flags for node itself, before the script (`--max-old-space-size=256`). */
  readonly nodeFlags?: readonly string[];
  /** Killed (SIGKILL) after this long; the result's code is then null. */
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

export async function runCli(
  args: readonly string[],
  cwd: string,
  options: RunOptions = {},
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(node, [...(options.nodeFlags ?? []), bin, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      maxBuffer: 64 * 1024 * 1024,
      ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
