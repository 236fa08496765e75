/**
 * `eventwire test --brokers containers` on a throwaway RabbitMQ (quorum queues, a vhost per run through the
 * management API): identity's SMTP worker holds while the broker is killed and restarted, frozen, and its
 * connections cut and reset, alongside consumer crashes.
 */
import { describe, expect, it } from 'vitest';
import { runSuite } from '../../engine/suite.ts';
import type { FaultKind } from '../../engine/types.ts';
import { REAL_TIME_SCALE, realBackend } from '../../real/suite.ts';
import { platformTarget } from '../../test/targets.ts';
import { containersProvider } from '../provider.ts';
import { failureSummary } from '../../test/suite-failure.ts';

describe('eventwire test --brokers containers, RabbitMQ', () => {
  it('identity/onEmailEvent holds under broker restarts, pauses and cut connections', async () => {
    const target = await platformTarget('identity/onEmailEvent');
    await using brokers = await containersProvider().start(new Set(['redis', 'rabbitmq']));
    const faults = new Set<FaultKind>([
      'broker-restart',
      'broker-pause',
      'proxy-down',
      'proxy-reset',
      'crash-after-commit',
    ]);
    const result = await runSuite(realBackend('containers'), brokers, target, {
      faults,
      runs: 6,
      seed: 6,
      timeScale: REAL_TIME_SCALE,
    });
    expect(result.failure?.text ?? '', failureSummary(result)).toBe('');
    const happened = (fault: FaultKind) => result.coverage.find((row) => row.fault === fault)?.runs ?? 0;
    expect(happened('broker-restart') + happened('broker-pause') + happened('proxy-down')).toBeGreaterThan(0);
    expect(result.counts.lost).toBe(0);
  }, 150_000);
});
