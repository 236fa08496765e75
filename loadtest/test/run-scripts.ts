/** Runs generated k6 scripts under Node with the fake k6 modules (fake-k6/run.ts) in one child process. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ScenarioOutcome } from './fake-k6/scheduler.ts';
import type { RecordedRequest } from './fake-k6/state.ts';
import type { ThresholdOutcome } from './fake-k6/thresholds.ts';
import { REPO_ROOT } from './workspace.ts';

export interface ScriptRun {
  readonly options: {
    readonly scenarios: Record<string, Record<string, unknown> & { readonly exec: string }>;
    readonly thresholds: Record<string, string[]>;
  };
  /** What k6 would refuse the script for; nothing ran when there is any. */
  readonly errors: readonly string[];
  readonly requests: readonly RecordedRequest[];
  readonly checks: readonly { readonly scenario: string; readonly name: string; readonly passed: boolean }[];
  readonly scenarios: Readonly<Record<string, ScenarioOutcome>>;
  readonly thresholds: Readonly<Record<string, readonly ThresholdOutcome[]>>;
  readonly passed: boolean;
}

const NODE = join(REPO_ROOT, 'node_modules/.bin/node');
const FAKES = join(REPO_ROOT, 'loadtest/test/fake-k6');

export async function runScripts(
  scripts: readonly string[],
  options: { readonly env?: Readonly<Record<string, string>> } = {},
): Promise<Map<string, ScriptRun>> {
  const args = ['--import', join(FAKES, 'register.ts'), join(FAKES, 'run.ts'), ...scripts];
  // Only the variables a test sets: the scripts' __ENV must not depend on the machine running the tests.
  const env = { PATH: process.env.PATH ?? '', ...options.env };
  const { stdout } = await promisify(execFile)(NODE, args, {
    env,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  return new Map(Object.entries(JSON.parse(stdout) as Record<string, ScriptRun>));
}
