/**
 * Memory mode runs the service's own generated consumer and handlers on the real runtime pipeline, and is
 * deterministic: the same plan gives the same history, and a printed seed/path replays the same counterexample.
 */
import { describe, expect, it } from 'vitest';
import { planOf } from '../engine/plan.ts';
import { runPlan } from '../engine/run.ts';
import { ALL_FAULTS, runSuite } from '../engine/suite.ts';
import type { HistoryEvent, Step } from '../engine/types.ts';
import { platformTarget } from '../test/targets.ts';
import { memoryBrokers } from './provider.ts';
import { memoryBackend } from './world.ts';

/** A history without what differs between two runs of one plan (event ids are time-based UUIDv7). */
function shape(history: readonly HistoryEvent[]): string[] {
  return history.map((entry) => {
    const {
      eventId: _id,
      causationId: _cause,
      ...rest
    } = entry as HistoryEvent & { eventId?: string; causationId?: string };
    return JSON.stringify(rest).replaceAll(
      /[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      'ID',
    );
  });
}

async function runOnce(selector: string, steps: Step[]) {
  const target = await platformTarget(selector);
  await using brokers = await memoryBrokers.start(new Set());
  await using session = await memoryBackend().openSuite(target, brokers, { timeScale: 1 });
  const plan = planOf(target, steps, 'run-1');
  await using driver = await session.startRun(plan);
  const quiescence = await runPlan(driver, plan);
  return { history: [...driver.history()], quiescence };
}

describe('memory mode', () => {
  const crashAfterHandler: Step[] = [
    { kind: 'crash', point: 'after-handler' },
    { kind: 'publish', event: 'e1', payload: 0 },
    { kind: 'duplicate', event: 'e1', via: 'publisher-retry' },
  ];

  it('a crash after the handler, before the commit: the process dies there, the event comes back to its successor', async () => {
    const { history, quiescence } = await runOnce('order/onCartCheckedOut', crashAfterHandler);
    expect(quiescence.quiet).toBe(true);
    const types = history.map((entry) => `${entry.type}${'consumer' in entry ? ` c${entry.consumer}` : ''}`);
    expect(types).toContain('crashed c1');
    expect(types).toContain('restarted c2');
    // The dead process's handler finished (the effect) but never committed; the new one handles it once more.
    const finished = history.filter((entry) => entry.type === 'handler-finished' && entry.ok);
    expect(finished.map((entry) => ('consumer' in entry ? entry.consumer : 0))).toEqual([1, 2]);
    expect(
      history
        .filter((entry) => entry.type === 'committed')
        .map((entry) => ('consumer' in entry ? entry.consumer : 0)),
    ).toEqual([2]);
    // The successor had to wait for the dead process's claim to expire (lease: 2 x 30 s + 10 s).
    const second = history.find((entry) => entry.type === 'handler-started' && entry.consumer === 2)!;
    expect(second.at).toBeGreaterThanOrEqual(70_000);
    // Follow-ups of the handler are recorded with the delivery that published them.
    expect(history.filter((entry) => entry.type === 'follow-up-published').length).toBe(4);
  });

  it('is deterministic: one plan, twice, the same history', async () => {
    const steps: Step[] = [
      { kind: 'fail', event: 'e2', times: 2 },
      { kind: 'publish', event: 'e1', payload: 0 },
      { kind: 'publish', event: 'e2', payload: 1 },
      { kind: 'duplicate', event: 'e1', via: 'redelivery' },
      { kind: 'drop-connection' },
      { kind: 'publish', event: 'e3', payload: 2 },
    ];
    const first = await runOnce('order/onCartCheckedOut', steps);
    const second = await runOnce('order/onCartCheckedOut', steps);
    expect(shape(second.history)).toEqual(shape(first.history));
    expect(first.history.some((entry) => entry.type === 'connection-dropped')).toBe(true);
  });

  it('replays a counterexample exactly from the seed and path it printed', async () => {
    const target = await platformTarget('order/onCartCheckedOut');
    await using brokers = await memoryBrokers.start(new Set());
    const options = { faults: new Set(ALL_FAULTS), runs: 200, seed: 5, variant: 'check-then-act' };
    const found = await runSuite(memoryBackend(), brokers, target, options);
    expect(found.ok).toBe(false);
    const replayed = await runSuite(memoryBackend(), brokers, target, { ...options, path: found.path! });
    expect(replayed.ok).toBe(false);
    expect(replayed.failure?.text).toBe(found.failure?.text);
    expect(replayed.failure?.violations.map((v) => v.invariant)).toEqual(
      found.failure?.violations.map((v) => v.invariant),
    );
    expect(shape(replayed.failure!.history)).toEqual(shape(found.failure!.history));
  });
});
