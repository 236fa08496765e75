/**
 * The harness can fail: every broken consumer of the catalogue is caught in memory mode within 200 runs, with a
 * shrunk counterexample of at most 5 steps and the invariant that must catch it; the correct consumers pass
 * 500 runs of every fault kind. Fixed seeds, so a run is the same every time (HARNESS_CATALOGUE_SEED changes it).
 */
import { describe, expect, it } from 'vitest';
import { ALL_FAULTS, runSuite } from '../engine/suite.ts';
import { memoryBrokers } from '../memory/provider.ts';
import { memoryBackend } from '../memory/world.ts';
import { platformTarget } from '../test/targets.ts';
import { CATALOGUE } from './index.ts';

const seed = Number(process.env.HARNESS_CATALOGUE_SEED ?? 11);
const faults = new Set(ALL_FAULTS);

describe('catalogue of broken consumers, memory mode', () => {
  it.each(CATALOGUE.map((entry) => [entry.name, entry] as const))(
    '%s is caught within 200 runs with a counterexample of at most 5 steps',
    async (_name, entry) => {
      const target = await platformTarget(entry.target);
      await using brokers = await memoryBrokers.start(new Set());
      const result = await runSuite(memoryBackend(), brokers, target, {
        faults,
        runs: 200,
        seed,
        variant: entry.name,
      });
      expect(result.ok, `${entry.name} was not caught in ${result.runs} runs`).toBe(false);
      const failure = result.failure!;
      expect(failure.steps.length, failure.text).toBeLessThanOrEqual(5);
      const caught = failure.violations.map((violation) => violation.invariant);
      expect(
        caught.some((invariant) => entry.caughtBy.includes(invariant)),
        `${failure.text}: ${caught}`,
      ).toBe(true);
    },
    60_000,
  );
});

describe('the correct consumers hold', () => {
  it.each(['order/onCartCheckedOut', 'shipping/onFulfillmentStatusChanged'])(
    '%s: 500 runs with every fault kind, each of which happened',
    async (selector) => {
      const target = await platformTarget(selector);
      await using brokers = await memoryBrokers.start(new Set());
      const result = await runSuite(memoryBackend(), brokers, target, { faults, runs: 500, seed });
      expect(
        result.failure?.text ?? '',
        result.failure?.violations.map((v) => `${v.invariant}: ${v.observed}`).join('\n'),
      ).toBe('');
      expect(result.uncovered).toEqual([]);
      expect(result.runs).toBe(500);
    },
    120_000,
  );
});
