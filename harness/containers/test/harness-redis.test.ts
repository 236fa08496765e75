/**
 * `eventwire test --brokers containers` on a throwaway Redis: the order service's own handlers hold while the
 * broker is killed and restarted (AOF `appendfsync always`: nothing acknowledged is lost), frozen, and its
 * connections cut, reset and slowed, every one of which happens (coverage), alongside consumer crashes and
 * publisher retries; and a broken consumer of the catalogue is still caught, shrunk, on the same brokers.
 */
import { describe, expect, it } from 'vitest';
import { runSuite } from '../../engine/suite.ts';
import { BROKER_FAULTS, type FaultKind } from '../../engine/types.ts';
import { REAL_FAULTS, REAL_TIME_SCALE, realBackend } from '../../real/suite.ts';
import { platformTarget } from '../../test/targets.ts';
import { containersProvider } from '../provider.ts';
import { failureSummary } from '../../test/suite-failure.ts';

describe('eventwire test --brokers containers, Redis Streams', () => {
  it('order/onCartCheckedOut holds under broker restarts, pauses and network faults, each of which happened', async () => {
    const target = await platformTarget('order/onCartCheckedOut');
    await using brokers = await containersProvider().start(new Set(['redis']));
    const faults = new Set<FaultKind>([...BROKER_FAULTS, 'duplicate', 'crash-after-commit']);
    const result = await runSuite(realBackend('containers'), brokers, target, {
      faults,
      runs: 20,
      seed: 5,
      timeScale: REAL_TIME_SCALE,
    });
    expect(result.failure?.text ?? '', failureSummary(result)).toBe('');
    expect(result.uncovered).toEqual([]);
    expect(result.counts.lost).toBe(0);
    expect(result.counts.handled).toBeGreaterThan(0);
  }, 240_000);

  it('process-then-mark is caught on the same brokers with a counterexample of at most 5 steps', async () => {
    const target = await platformTarget('order/onCartCheckedOut');
    await using brokers = await containersProvider().start(new Set(['redis']));
    const result = await runSuite(realBackend('containers'), brokers, target, {
      faults: new Set([...REAL_FAULTS, ...BROKER_FAULTS]),
      runs: 200,
      seed: 11,
      timeScale: REAL_TIME_SCALE,
      variant: 'process-then-mark',
    });
    expect(result.ok).toBe(false);
    expect(result.failure!.steps.length, result.failure!.text).toBeLessThanOrEqual(5);
    expect(result.failure!.violations.map((v) => v.invariant)).toContain('duplicated-effect');
  }, 120_000);
});
