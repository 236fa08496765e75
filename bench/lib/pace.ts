/**
 * Open-loop load at a fixed rate: events are due at start + i / rate whatever happened to the earlier ones (a
 * service publishing as orders come in does not wait for the broker), sent in small bursts from a 1 ms timer.
 * Latency is recorded from the publish call to its acknowledgement, and also from the moment the event was due,
 * which adds the time the process was too busy to send it (what coordinated-omission-free tools report).
 */
import { LatencyRecorder } from './latency.ts';
import { medianOf, type RoundResult, type VariantSummary } from './rounds.ts';

export interface PacedOptions {
  readonly rate: number;
  readonly seconds: number;
  /** Stop sending (and report `overloaded`) when this many events are unacknowledged. */
  readonly maxBacklog: number;
}

/** `rate` events/s for `seconds`; a backlog of two seconds of events means the rate is not sustainable. */
export function pacedOptions(rate: number, seconds: number): PacedOptions {
  return { rate, seconds, maxBacklog: Math.max(1000, rate * 2) };
}

export async function paced(
  options: PacedOptions,
  send: (i: number) => Promise<unknown>,
): Promise<RoundResult> {
  const fromCall = new LatencyRecorder(options.rate * options.seconds);
  const fromDue = new LatencyRecorder(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const cpu = process.cpuUsage();
  const start = performance.now();
  let issued = 0;
  let done = 0;
  let lastAck = start;
  let failure: unknown;
  let overloaded = false;
  let sendingOver = false;
  const drained = Promise.withResolvers<void>();
  const acknowledged = (due: number, called: number) => () => {
    lastAck = performance.now();
    fromCall.record(lastAck - called);
    fromDue.record(lastAck - due);
    if (++done === issued && sendingOver) drained.resolve();
  };
  const failed = (error: unknown) => {
    failure ??= error;
    if (++done === issued && sendingOver) drained.resolve();
  };
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= options.seconds * 1000 || failure !== undefined) break;
    if (issued - done > options.maxBacklog) {
      overloaded = true;
      break;
    }
    const due = Math.min(Math.floor(elapsed / interval) + 1, Math.ceil((options.seconds * 1000) / interval));
    while (issued < due) {
      const dueAt = start + issued * interval;
      const called = performance.now();
      send(issued++).then(acknowledged(dueAt, called), failed);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  sendingOver = true;
  if (done < issued) await drained.promise;
  if (failure !== undefined) throw failure;
  const used = process.cpuUsage(cpu);
  const due = fromDue.percentiles();
  return {
    events: done,
    seconds: (lastAck - start) / 1000,
    cpuMicros: used.user + used.system,
    latency: fromCall.percentiles(),
    extra: {
      fromDueP50Ms: due.p50Ms,
      fromDueP95Ms: due.p95Ms,
      fromDueP99Ms: due.p99Ms,
      overloaded: overloaded ? 1 : 0,
    },
  };
}

/** Row extras of a paced variant: the median over rounds of the from-due percentiles, and overloaded rounds. */
export function withDue(
  summary: VariantSummary,
  extra: Record<string, number | string>,
): Record<string, number | string> {
  const median = (key: string) =>
    medianOf(
      summary.rounds.map((r) => r.extra?.[key] ?? Number.NaN),
      2,
    );
  const overloaded = summary.rounds.filter((r) => r.extra?.overloaded === 1).length;
  return {
    ...extra,
    fromDueP50Ms: median('fromDueP50Ms'),
    fromDueP95Ms: median('fromDueP95Ms'),
    fromDueP99Ms: median('fromDueP99Ms'),
    overloadedRounds: overloaded,
  };
}
