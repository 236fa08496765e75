/**
 * Load drivers for one timed round: back-to-back calls, or many concurrent callers. Both record a latency per
 * call and the process CPU time spent, which on a shared machine is steadier than wall time: CPU µs per event
 * says what the client costs, whatever the neighbours take.
 */
import { LatencyRecorder } from './latency.ts';
import type { RoundResult } from './rounds.ts';

/** Runs `step` (one call, returning how many events it carried) back to back until the time is up. */
export async function timedLoop(seconds: number, step: () => Promise<number>): Promise<RoundResult> {
  const latency = new LatencyRecorder();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let events = 0;
  while (performance.now() < deadline) {
    const t0 = performance.now();
    events += await step();
    latency.record(performance.now() - t0);
  }
  return finish(events, started, cpu, latency);
}

/**
 * `callers` concurrent loops of one call each until the time is up: `call(i)` gets a counter shared by all
 * callers and carries `eventsPerCall` events (a batch publish), so this also drives a window of batches.
 */
export async function concurrentLoop(
  seconds: number,
  callers: number,
  call: (i: number) => Promise<unknown>,
  eventsPerCall = 1,
): Promise<RoundResult> {
  const latency = new LatencyRecorder();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let issued = 0;
  let events = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await call(issued++);
        latency.record(performance.now() - t0);
        events += eventsPerCall;
      }
    }),
  );
  return finish(events, started, cpu, latency);
}

export function finish(
  events: number,
  started: number,
  cpu: NodeJS.CpuUsage,
  latency?: LatencyRecorder,
): RoundResult {
  const used = process.cpuUsage(cpu);
  return {
    events,
    seconds: (performance.now() - started) / 1000,
    cpuMicros: used.user + used.system,
    ...(latency ? { latency: latency.percentiles() } : {}),
  };
}
