/**
 * `--brokers local --transport dapr`: the order service's own handlers behind the runtime's Dapr transport, with
 * a fake daprd of eventwire/testing per run as the broker (in the harness's process, so it outlives the consumer
 * process it delivers to; configured as generated/dapr/ configures daprd, its intervals scaled) and the Redis
 * idempotency store and delivery counts. It holds under every fault kind Dapr mode has, and a broken consumer is
 * still caught. HARNESS_LOCAL_RUNS sets the property's runs.
 */
import { describe, expect, it } from 'vitest';
import { runSuite } from '../../engine/suite.ts';
import type { SuiteTarget } from '../../engine/types.ts';
import { REAL_FAULTS, REAL_TIME_SCALE, realBackend } from '../../real/suite.ts';
import { platformTarget } from '../../test/targets.ts';
import { localBrokers } from '../provider.ts';

const runs = Number(process.env.HARNESS_LOCAL_RUNS ?? 15);

async function daprTarget(): Promise<SuiteTarget> {
  return { ...(await platformTarget('order/onCartCheckedOut')), transport: 'dapr' };
}

describe('eventwire test --brokers local --transport dapr', () => {
  it(`order/onCartCheckedOut holds over ${runs} runs, crashes landing in a consumer process behind the sidecar`, async () => {
    await using brokers = await localBrokers().start(new Set(['redis']));
    const result = await runSuite(realBackend('local'), brokers, await daprTarget(), {
      faults: REAL_FAULTS,
      runs,
      seed: 2,
      timeScale: REAL_TIME_SCALE,
    });
    expect(
      result.failure?.text ?? '',
      result.failure?.violations.map((v) => `${v.invariant}: ${v.observed}`).join('\n') ??
        result.failure?.error,
    ).toBe('');
    expect(result.runs).toBe(runs);
    const happened = (fault: string) => result.coverage.find((row) => row.fault === fault)?.runs ?? 0;
    expect(
      happened('crash-before-handler') + happened('crash-after-handler') + happened('crash-after-commit'),
    ).toBeGreaterThan(0);
    expect(happened('connection-drop')).toBe(0);
    expect(result.counts.lost).toBe(0);
  }, 90_000);

  it('dead-letter-without-reason is caught on Dapr with a counterexample of at most 5 steps', async () => {
    await using brokers = await localBrokers().start(new Set(['redis']));
    const result = await runSuite(realBackend('local'), brokers, await daprTarget(), {
      faults: REAL_FAULTS,
      runs: 200,
      seed: 11,
      timeScale: REAL_TIME_SCALE,
      variant: 'dead-letter-without-reason',
    });
    expect(result.ok).toBe(false);
    expect(result.failure!.steps.length, result.failure!.text).toBeLessThanOrEqual(5);
    expect(result.failure!.violations.map((v) => v.invariant)).toContain('invalid');
  }, 90_000);
});
