/**
 * Regression (issue #10): on an ordered subscription, e1's handler ran but its consumer died before the ordering
 * position advanced, and the schedule's crashes then spent e1's retry budget (dead-lettered retries-exhausted);
 * e2, the next sequence of the key, waited for e1 and was dead-lettered ordering-timeout. Both are what the
 * runtime promises under those faults, so the checker excuses them (counted and explained) instead of reporting
 * a broken `healthy` invariant. Replayed from the seed and path that first showed it.
 */
import { describe, expect, it } from 'vitest';
import { scheduleText } from '../engine/steps.ts';
import { ALL_FAULTS, type CompletedRun, runSuite } from '../engine/suite.ts';
import { platformTarget } from '../test/targets.ts';
import { memoryBrokers } from './provider.ts';
import { memoryBackend } from './world.ts';

const SCHEDULE = [
  'fail e1 2 times',
  'crash consumer before handler',
  'publish e1 key=k2 seq=1',
  'publish e2 key=k2 seq=2',
  'crash consumer after handler, before commit',
].join(' · ');

describe('excused dead letters on ordered subscriptions', () => {
  it.each([
    'shipping/onFulfillmentStatusChanged',
    'catalog/onPriceUpdated',
    'pricing/onWarehouseStockChanged',
    'fulfillment/onOrderStatusChanged',
  ])('%s: seed 1947036183, path 24:3:2:10:11:12:12 holds, e1 and e2 excused', async (selector) => {
    const target = await platformTarget(selector);
    await using brokers = await memoryBrokers.start(new Set());
    const runs: CompletedRun[] = [];
    const result = await runSuite(memoryBackend(), brokers, target, {
      faults: new Set(ALL_FAULTS),
      runs: 100,
      seed: 1947036183,
      path: '24:3:2:10:11:12:12',
      afterRun: (run) => {
        runs.push(run);
      },
    });
    const first = runs[0]!;
    expect(scheduleText(first.plan.steps)).toBe(SCHEDULE);
    expect(first.result.violations).toEqual([]);
    expect(first.result.excused.map((excuse) => [excuse.event, excuse.kind, excuse.reason])).toEqual([
      ['e1', 'retry-budget', 'retries-exhausted'],
      ['e2', 'ordering-predecessor', 'ordering-timeout'],
    ]);
    expect(first.result.excused[1]!.explanation).toContain(
      'e1 (seq 1) was never processed: its handler ran, but the consumer died before the ordering position advanced, then was dead-lettered retries-exhausted',
    );
    expect(first.result.counts).toMatchObject({ deadLettered: 2, excused: 2, lost: 0, outOfOrder: 0 });
    expect(result.ok).toBe(true);
    // The suite's summary carries both kinds with an explanation (what reports print).
    expect(result.excused.map((row) => row.kind).sort()).toEqual(['ordering-predecessor', 'retry-budget']);
  });
});
