/** Whole-process timing: what a user waits for, including Node start-up and module loading. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessRun {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** User + system CPU time of the process (when /usr/bin/time is there to measure it). */
  readonly cpuMs?: number;
}

/** GNU time: the child's CPU time, which depends far less on the neighbours than its wall time. */
const GNU_TIME = '/usr/bin/time';
let cpuFiles = 0;

/** timeProcess, with the child's CPU time when /usr/bin/time exists. */
export async function timeProcessCpu(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProcessRun> {
  if (!existsSync(GNU_TIME)) return timeProcess(command, args, cwd, env);
  const file = join(tmpdir(), `eventwire-bench-cpu-${process.pid}-${cpuFiles++}`);
  const run = await timeProcess(GNU_TIME, ['-o', file, '-f', '%U %S', command, ...args], cwd, env);
  const [user, system] = (await readFile(file, 'utf8').catch(() => ''))
    .trim()
    .split('\n')
    .at(-1)
    ?.split(' ')
    .map(Number) ?? [Number.NaN, Number.NaN];
  await rm(file, { force: true });
  return { ...run, cpuMs: ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000 };
}

export interface Variant {
  readonly name: string;
  /** One run, whole process; `index` counts the variant's runs. */
  run(index: number): Promise<ProcessRun>;
}

export interface VariantSamples {
  readonly wall: number[];
  readonly cpu: number[];
}

/**
 * `times` rounds of every variant, the order rotating each round (A B C, B C A, C A B...), so a neighbour's
 * load spike or the host slowing down hits every variant alike.
 */
export async function interleave(
  variants: readonly Variant[],
  times: number,
): Promise<Map<string, VariantSamples>> {
  const samples = new Map(variants.map((v) => [v.name, { wall: [] as number[], cpu: [] as number[] }]));
  for (let round = 0; round < times; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(round + i) % variants.length] as Variant;
      const run = await variant.run(round);
      if (run.code !== 0)
        throw new Error(`${variant.name} failed (exit ${run.code}):\n${run.stderr || run.stdout}`);
      const own = samples.get(variant.name) as VariantSamples;
      own.wall.push(run.ms);
      if (run.cpuMs !== undefined && Number.isFinite(run.cpuMs)) own.cpu.push(run.cpuMs);
    }
  }
  return samples;
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
