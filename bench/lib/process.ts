/** Whole-process timing: what a user waits for, including Node start-up and module loading. */
import { spawn } from 'node:child_process';

export interface ProcessRun {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function timeProcess(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

export async function repeat(times: number, once: () => Promise<ProcessRun>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const run = await once();
    if (run.code !== 0)
      throw new Error(`benchmark process failed (exit ${run.code}):\n${run.stderr || run.stdout}`);
    samples.push(run.ms);
  }
  return samples;
}
