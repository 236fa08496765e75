/**
 * The machine a benchmark ran on. Throughput on a shared machine depends on what else runs, so every result
 * carries the load average sampled before and after it: figures are comparable only at similar load.
 */
import { cpus, loadavg } from 'node:os';

export interface LoadSample {
  /** 1, 5 and 15 minute load averages. */
  readonly loadAverage: readonly [number, number, number];
  readonly at: string;
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
}

export function sampleLoad(): LoadSample {
  const [one, five, fifteen] = loadavg();
  return { loadAverage: [round2(one), round2(five), round2(fifteen)], at: new Date().toISOString() };
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model ?? 'unknown', node: process.version };
}

function round2(value: number | undefined): number {
  return Math.round((value ?? Number.NaN) * 100) / 100;
}
