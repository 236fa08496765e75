/**
 * `--brokers local` on the machine's RabbitMQ: identity's SMTP worker (generated/identity/handlers.ts) on the
 * RabbitMQ transport with quorum queues and the Redis idempotency store holds under every fault kind real brokers
 * have, its run-tagged exchanges and queues are deleted after each run, and a failure replays exactly from the
 * seed and path it prints (the order service run on RabbitMQ). HARNESS_LOCAL_RUNS sets the property's runs.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runSuite } from '../../engine/suite.ts';
import type { SuiteTarget } from '../../engine/types.ts';
import { REAL_FAULTS, REAL_TIME_SCALE, realBackend } from '../../real/suite.ts';
import { platformTarget } from '../../test/targets.ts';
import { localBrokers } from '../provider.ts';
import { failureSummary } from '../../test/suite-failure.ts';

const runs = Number(process.env.HARNESS_LOCAL_RUNS ?? 15);
const run = promisify(execFile);

describe('eventwire test --brokers local, RabbitMQ', () => {
  it(`identity/onEmailEvent holds over ${runs} runs of every real fault kind; no run-tagged queue is left`, async () => {
    const target = await platformTarget('identity/onEmailEvent');
    await using brokers = await localBrokers().start(new Set(['redis', 'rabbitmq']));
    const result = await runSuite(realBackend('local'), brokers, target, {
      faults: REAL_FAULTS,
      runs,
      seed: 3,
      timeScale: REAL_TIME_SCALE,
    });
    expect(result.failure?.text ?? '', failureSummary(result)).toBe('');
    expect(result.runs).toBe(runs);
    expect(result.counts.lost).toBe(0);
    expect(result.counts.delivered).toBeGreaterThan(runs);
    // Every run's queues were deleted (list_queues: AMQP cannot list them).
    const [command, ...prefix] = (process.env.RABBITMQCTL ?? 'rabbitmqctl').split(' ');
    const { stdout } = await run(command!, [...prefix, 'list_queues', 'name', '--quiet'], {
      timeout: 60_000,
    });
    expect(stdout.split('\n').filter((name) => name.startsWith('smtp_send_email_v2~'))).toEqual([]);
  }, 120_000);

  it('a counterexample replays exactly from its seed and path', async () => {
    // The order service on RabbitMQ (its topics as fanout exchanges), with a consumer that dead-letters without
    // a reason: a deterministic failure, so the replay must fail the same way.
    const target: SuiteTarget = {
      ...(await platformTarget('order/onCartCheckedOut')),
      transport: 'rabbitmq',
    };
    await using brokers = await localBrokers().start(new Set(['redis', 'rabbitmq']));
    const options = {
      faults: REAL_FAULTS,
      runs: 100,
      seed: 11,
      timeScale: REAL_TIME_SCALE,
      variant: 'dead-letter-without-reason',
    };
    const found = await runSuite(realBackend('local'), brokers, target, options);
    expect(found.ok).toBe(false);
    expect(found.path).toBeDefined();
    const again = await runSuite(realBackend('local'), brokers, target, { ...options, path: found.path! });
    expect(again.ok).toBe(false);
    expect(again.failure?.text).toBe(found.failure?.text);
    expect(again.failure?.violations.map((v) => v.invariant)).toEqual(
      found.failure?.violations.map((v) => v.invariant),
    );
  }, 120_000);
});
