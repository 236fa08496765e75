/**
 * Coverage-directed schedules: a suite of at least as many runs as applicable fault kinds covers every kind,
 * whatever the seed (memory mode, the repository's own services); each forced run makes its own kind happen;
 * `--path` replays a forced run's schedule exactly, and the random runs after the forced ones are exactly what
 * fast-check generated before forcing existed (so earlier replay lines for them still hold); fewer runs than
 * kinds are reported, not failed; a kind that cannot happen on an operation is not requested of it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subscriptionSpec } from '../../runtime/test/support.ts';
import { memoryBrokers } from '../memory/provider.ts';
import { memoryBackend } from '../memory/world.ts';
import { platformTarget } from '../test/targets.ts';
import { CoverageDirectedProperty, forcedKinds } from './coverage.ts';
import { ReplayPathError } from './errors.ts';
import { applicableFaults, type Intent, intentsArbitrary, type ScheduleShape } from './schedule.ts';
import { scheduleText } from './steps.ts';
import { ALL_FAULTS, type CompletedRun, runSuite, type SuiteRunOptions } from './suite.ts';
import type { FaultKind } from './types.ts';

const SERVICES = [
  'order/onCartCheckedOut',
  'shipping/onFulfillmentStatusChanged',
  'warehouse/onOrderCreated',
  'identity/onEmailEvent',
];

async function suite(selector: string, options: Omit<SuiteRunOptions, 'afterRun'>) {
  const target = await platformTarget(selector);
  await using brokers = await memoryBrokers.start(new Set());
  const runs: CompletedRun[] = [];
  const result = await runSuite(
    memoryBackend(),
    brokers,
    { ...target },
    {
      ...options,
      afterRun: (run) => {
        runs.push(run);
      },
    },
  );
  return { result, runs, target };
}

describe('coverage-directed schedules, memory mode', () => {
  it.each(SERVICES)(
    '%s: 20-run suites cover every applicable fault kind, for several seeds, each forced run its own kind',
    async (selector) => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const { result, runs } = await suite(selector, { faults: new Set(ALL_FAULTS), runs: 20, seed });
        expect(result.failure?.text, `seed ${seed}`).toBeUndefined();
        const requested = result.coverage.filter((row) => row.requested).map((row) => row.fault);
        // Memory mode injects every kind but the broker faults; these services can have all of them.
        expect(requested.length, `seed ${seed}`).toBe(12);
        expect(result.uncovered, `seed ${seed}`).toEqual([]);
        expect(result.tooFewRuns, `seed ${seed}`).toBeUndefined();
        for (const row of result.coverage.filter((candidate) => candidate.requested))
          expect(row.runs, `seed ${seed}: ${row.fault}`).toBeGreaterThan(0);
        // Not by luck: run i made kind i happen (afterRun sees search runs in order; nothing failed).
        requested.forEach((kind, index) => {
          const run = runs[index]!;
          expect(
            run.result.faults[kind],
            `seed ${seed}, run ${index}: ${scheduleText(run.plan.steps)}`,
          ).toBeGreaterThan(0);
        });
        expect(result.ok).toBe(true);
      }
    },
    120_000,
  );

  it('--path replays a forced run exactly, and a random one', async () => {
    const options = { faults: new Set(ALL_FAULTS), runs: 20, seed: 7 };
    const search = await suite('shipping/onFulfillmentStatusChanged', options);
    for (const index of [0, 4, 11, 15]) {
      const replay = await suite('shipping/onFulfillmentStatusChanged', { ...options, path: String(index) });
      expect(scheduleText(replay.runs[0]!.plan.steps), `run ${index}`).toBe(
        scheduleText(search.runs[index]!.plan.steps),
      );
    }
    // A path this suite cannot walk is a usage error that says so, not fast-check's internals.
    await expect(
      suite('shipping/onFulfillmentStatusChanged', { ...options, path: '0:99:99:99:99:99:99' }),
    ).rejects.toThrow(ReplayPathError);
  });

  it('fewer runs than kinds: the kinds left without a run are reported, not failed', async () => {
    const { result } = await suite('order/onCartCheckedOut', {
      faults: new Set(ALL_FAULTS),
      runs: 5,
      seed: 3,
    });
    expect(result.failure).toBeUndefined();
    expect(result.uncovered).toEqual([]);
    expect(result.tooFewRuns?.needed).toBe(12);
    // The first five kinds had their runs; whatever did not happen among the rest is listed.
    const forced = result.coverage.filter((row) => row.requested).map((row) => row.fault);
    for (const kind of forced.slice(0, 5))
      expect(result.coverage.find((row) => row.fault === kind)!.runs).toBeGreaterThan(0);
    for (const kind of result.tooFewRuns!.kinds) expect(forced.indexOf(kind)).toBeGreaterThanOrEqual(5);
    expect(result.ok).toBe(true);
  });

  it('a kind that cannot happen on the operation is not requested of it (no invalid payload to make)', async () => {
    const target = await platformTarget('order/onCartCheckedOut');
    await using brokers = await memoryBrokers.start(new Set());
    const result = await runSuite(
      memoryBackend(),
      brokers,
      { ...target, invalidPayloads: [] },
      {
        faults: new Set(ALL_FAULTS),
        runs: 11,
        seed: 2,
      },
    );
    const row = result.coverage.find((candidate) => candidate.fault === 'invalid-payload')!;
    expect(row).toMatchObject({ requested: false, runs: 0 });
    expect(row.inapplicable).toMatch(/no way to break the payload schema/);
    expect(result.uncovered).toEqual([]);
    expect(result.tooFewRuns).toBeUndefined();
    expect(result.ok).toBe(true);
  });
});

describe('which kinds a schedule can force', () => {
  const shape = (overrides: Partial<ScheduleShape> = {}): ScheduleShape => ({
    spec: subscriptionSpec(),
    faults: new Set<FaultKind>(ALL_FAULTS),
    payloads: 3,
    invalidPayloads: 2,
    ...overrides,
  });

  it('leaves out what the operation makes impossible, with the reason', () => {
    expect(forcedKinds(shape())).toEqual(ALL_FAULTS);
    const noRetries = shape({
      spec: subscriptionSpec({ retry: { ...subscriptionSpec().retry, maxRetries: 0 } }),
      invalidPayloads: 0,
      maxEvents: 1,
    });
    const kinds = applicableFaults(noRetries);
    expect(kinds).not.toContain('transient-failure');
    expect(kinds).not.toContain('invalid-payload');
    expect(kinds).not.toContain('reorder');
    expect(kinds).toContain('poison');
  });

  it("runs from the number of kinds on are exactly fast-check's own asyncProperty values", async () => {
    const memoryKinds = ALL_FAULTS.filter(
      (kind) => !kind.startsWith('broker-') && !kind.startsWith('proxy-'),
    );
    const s = shape({ faults: new Set(memoryKinds) });
    const forced = forcedKinds(s);
    for (const index of [forced.length, forced.length + 3, 57]) {
      let directed: Intent[] | undefined;
      let plain: Intent[] | undefined;
      await fc.check(
        new CoverageDirectedProperty(s, forced, async (intents) => {
          directed ??= intents;
          return true;
        }),
        { seed: 42, path: String(index), numRuns: 1 },
      );
      await fc.check(
        fc.asyncProperty(intentsArbitrary(s), async (intents) => {
          plain ??= intents;
          return true;
        }),
        { seed: 42, path: String(index), numRuns: 1 },
      );
      expect(directed, `run ${index}`).toEqual(plain);
    }
  });
});
