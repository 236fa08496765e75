/**
 * `--brokers local --transport dapr`: the order service's own handlers behind the runtime's Dapr transport, with
 * a fake daprd of eventwire/testing per run as the broker (in the harness's process, so it outlives the consumer
 * process it delivers to; configured as generated/dapr/ configures daprd, its intervals scaled) and the Redis
 * idempotency store and delivery counts. It holds under every fault kind Dapr mode has, including the
 * processingTimeout redelivery of a slow event while its handler runs (dapr/components-contrib#4599), and a broken
 * consumer is still caught. HARNESS_LOCAL_RUNS sets the property's runs.
 */
import { describe, expect, it } from 'vitest';
import { runSuite } from '../../engine/suite.ts';
import type { SuiteTarget } from '../../engine/types.ts';
import { DAPR_FAULTS, REAL_TIME_SCALE, realBackend } from '../../real/suite.ts';
import { platformTarget } from '../../test/targets.ts';
import { localBrokers } from '../provider.ts';
import { failureSummary } from '../../test/suite-failure.ts';

const runs = Number(process.env.HARNESS_LOCAL_RUNS ?? 15);

async function daprTarget(): Promise<SuiteTarget> {
  return { ...(await platformTarget('order/onCartCheckedOut')), transport: 'dapr' };
}

describe('eventwire test --brokers local --transport dapr', () => {
  it(`order/onCartCheckedOut holds over ${runs} runs, crashes landing in a consumer process behind the sidecar and slow events redelivered while handled`, async () => {
    await using brokers = await localBrokers().start(new Set(['redis']));
    const result = await runSuite(realBackend('local'), brokers, await daprTarget(), {
      faults: DAPR_FAULTS,
      runs,
      seed: 2,
      timeScale: REAL_TIME_SCALE,
    });
    expect(result.failure?.text ?? '', failureSummary(result)).toBe('');
    expect(result.runs).toBe(runs);
    const happened = (fault: string) => result.coverage.find((row) => row.fault === fault)?.runs ?? 0;
    expect(
      happened('crash-before-handler') + happened('crash-after-handler') + happened('crash-after-commit'),
    ).toBeGreaterThan(0);
    // The coverage gate: the sidecar redelivered a slow event while its first run was still in the handler.
    expect(happened('slow-handler')).toBeGreaterThan(0);
    expect(happened('connection-drop')).toBe(0);
    expect(result.counts.lost).toBe(0);
  }, 90_000);

  it('check-then-act is caught by a slow event alone: the redelivered copy runs the handler beside the first run', async () => {
    await using brokers = await localBrokers().start(new Set(['redis']));
    const result = await runSuite(realBackend('local'), brokers, await daprTarget(), {
      faults: new Set(['slow-handler'] as const),
      runs: 30,
      seed: 3,
      timeScale: REAL_TIME_SCALE,
      variant: 'check-then-act',
    });
    expect(result.ok).toBe(false);
    expect(result.failure!.text).toMatch(/^slow e\d/);
    expect(result.failure!.steps.length, result.failure!.text).toBeLessThanOrEqual(2);
    expect(result.failure!.violations.map((v) => v.invariant)).toContain('duplicated-effect');
  }, 90_000);

  it('dead-letter-without-reason is caught on Dapr with a counterexample of at most 5 steps', async () => {
    await using brokers = await localBrokers().start(new Set(['redis']));
    const result = await runSuite(realBackend('local'), brokers, await daprTarget(), {
      faults: DAPR_FAULTS,
      runs: 200,
      seed: 11,
      timeScale: REAL_TIME_SCALE,
      variant: 'dead-letter-without-reason',
    });
    expect(result.ok).toBe(false);
    expect(result.failure!.steps.length, result.failure!.text).toBeLessThanOrEqual(5);
    // The catalogue entry's invariants: a dead letter without a reason breaks `poison` (a poison event) or
    // `invalid` (an invalid payload), whichever the shrunk schedule kept.
    const caught = result.failure!.violations.map((v) => v.invariant);
    expect(
      caught.some((invariant) => invariant === 'poison' || invariant === 'invalid'),
      caught.join(),
    ).toBe(true);
  }, 90_000);
});
