/**
 * What the Redis server spent on a variant: its CPU time and the commands it ran, per event, sampled from
 * INFO before and after each round. The Redis is shared with other work on the machine, so these are
 * approximate (others' commands land in the same interval); they explain costs, they are not targets.
 */
import type { Redis } from 'ioredis';
import { medianPerEvent, type Variant, type VariantSummary } from '../lib/rounds.ts';
import { redisServerStats, statsDelta } from './services.ts';

/** Wraps a variant so each round carries the server's figures in `extra`. */
export function withServerStats(redis: Redis, variant: Variant): Variant {
  return {
    name: variant.name,
    round: async (r) => {
      const before = await redisServerStats(redis);
      const result = await variant.round(r);
      const delta = statsDelta(before, await redisServerStats(redis));
      return { ...result, extra: { ...result.extra, ...delta } };
    },
  };
}

/** Row extras: server CPU µs per event and the commands per event (those run at least once per 200 events). */
export function serverExtra(summary: VariantSummary): Record<string, number | string> {
  const commands = new Set(
    summary.rounds.flatMap((r) => Object.keys(r.extra ?? {}).filter((key) => key.startsWith('calls:'))),
  );
  const perEvent = [...commands]
    .map((key) => [key.slice('calls:'.length), medianPerEvent(summary, key) ?? 0] as const)
    .filter(([, calls]) => calls >= 0.005)
    .sort((a, b) => b[1] - a[1]);
  return {
    redisServerCpuMicrosPerEvent: medianPerEvent(summary, 'serverCpuMicros') ?? Number.NaN,
    redisCommandsPerEvent: perEvent.map(([name, calls]) => `${name} ${calls}`).join(', '),
  };
}
