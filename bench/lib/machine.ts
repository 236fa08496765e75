/**
 * The machine a benchmark ran on. Throughput on a shared machine depends on what else runs and on how fast the
 * host lets its CPUs run at the time, so every result carries, sampled before and after it, the load average and
 * the CPU reference (cpu-reference.ts): figures are comparable only at similar load and similar speed.
 */
import { cpus, loadavg } from 'node:os';
import { cpuReferenceMicros } from './cpu-reference.ts';

export interface LoadSample {
  /** 1, 5 and 15 minute load averages. */
  readonly loadAverage: readonly [number, number, number];
  /** µs per iteration of the fixed reference workload at that moment (lower is faster); takes ~0.5 s. */
  readonly cpuReferenceMicros: number;
  readonly at: string;
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
}

export function sampleLoad(): LoadSample {
  const [one, five, fifteen] = loadavg();
  return {
    loadAverage: [round2(one), round2(five), round2(fifteen)],
    cpuReferenceMicros: cpuReferenceMicros(),
    at: new Date().toISOString(),
  };
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model ?? 'unknown', node: process.version };
}

function round2(value: number | undefined): number {
  return Math.round((value ?? Number.NaN) * 100) / 100;
}
