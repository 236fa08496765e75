/**
 * From a schedule to a run plan: each event's payload (picked from the suite's pool, with the ordering key and
 * sequence written in) and its handler behaviour (fail N times, poison, slow).
 */
import type { OrderingSpec } from 'eventwire/runtime';
import { parsePointer, resolvePointer } from 'eventwire/runtime/json-pointer';
import type { EventRef, PlannedEvent, RunPlan, Step, SuiteTarget } from './types.ts';

export function planOf(target: SuiteTarget, steps: readonly Step[], runId: string, timeScale = 1): RunPlan {
  const events = new Map<EventRef, PlannedEvent>();
  const keys = new Map<string, unknown>();
  const ordering = target.spec.ordering;
  for (const step of steps) {
    if (step.kind === 'publish' || step.kind === 'lose-confirm') {
      const base = pick(target.payloads, step.payload);
      let payload = base;
      if (ordering && step.key !== undefined && step.seq !== undefined) {
        // Key values come from the pool (so they match the schema); k1, k2 keep their value for the whole run.
        if (!keys.has(step.key)) keys.set(step.key, keyValueFor(target, ordering, keys.size));
        payload = withPosition(base, ordering, keys.get(step.key), step.seq);
      }
      events.set(step.event, {
        ref: step.event,
        payload,
        valid: true,
        ...(step.key !== undefined ? { key: step.key } : {}),
        ...(step.seq !== undefined ? { seq: step.seq } : {}),
        failures: 0,
        slow: false,
      });
    } else if (step.kind === 'invalid') {
      const invalid = pick(target.invalidPayloads, step.payload);
      events.set(step.event, {
        ref: step.event,
        payload: invalid?.payload,
        valid: false,
        failures: 0,
        slow: false,
      });
    }
  }
  for (const step of steps) {
    const event = 'event' in step ? events.get(step.event) : undefined;
    if (!event) continue;
    if (step.kind === 'poison') events.set(step.event, { ...event, failures: Number.POSITIVE_INFINITY });
    if (step.kind === 'fail') events.set(step.event, { ...event, failures: step.times });
    if (step.kind === 'slow') events.set(step.event, { ...event, slow: true });
  }
  return { runId, steps, events, timeScale };
}

function pick<T>(pool: readonly T[], index: number): T {
  if (pool.length === 0) throw new Error('the suite has no payloads to publish');
  return pool[index % pool.length]!;
}

function keyValueFor(target: SuiteTarget, ordering: OrderingSpec, index: number): unknown {
  const values = [...new Set(target.payloads.map((payload) => resolvePointer(payload, ordering.keyPointer)))];
  return values[index % values.length] ?? `key-${index + 1}`;
}

/** A copy of `payload` with the ordering key and sequence written at the contract's pointers. */
export function withPosition(payload: unknown, ordering: OrderingSpec, key: unknown, seq: number): unknown {
  const copy = structuredClone(payload);
  writePointer(copy, ordering.keyPointer, key);
  writePointer(copy, ordering.sequencePointer, seq);
  return copy;
}

function writePointer(value: unknown, pointer: string, write: unknown): void {
  const path = parsePointer(pointer);
  let current = value as Record<string, unknown>;
  for (const token of path.slice(0, -1)) {
    if (current[token] === null || typeof current[token] !== 'object') current[token] = {};
    current = current[token] as Record<string, unknown>;
  }
  current[path.at(-1)!] = write;
}
