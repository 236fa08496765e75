/**
 * `--brokers local` on the machine's Redis: the order service's own handlers (generated/order/handlers.ts) on the
 * Redis Streams transport and the Redis idempotency store hold under every fault kind real brokers have, a
 * scheduled crash is a real kill of the consumer process and a new process takes over, every run's keys are gone
 * afterwards, and a broker that does not answer is a clear error. HARNESS_LOCAL_RUNS sets the property's runs.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { BrokerUnavailableError } from '../../engine/errors.ts';
import { planOf } from '../../engine/plan.ts';
import { runPlan } from '../../engine/run.ts';
import { runSuite } from '../../engine/suite.ts';
import type { HistoryEvent, Step } from '../../engine/types.ts';
import { REAL_FAULTS, REAL_TIME_SCALE, realBackend } from '../../real/suite.ts';
import { REDIS_URL } from '../../support/env.ts';
import { platformTarget } from '../../test/targets.ts';
import { localBrokers } from '../provider.ts';
import { failureSummary } from '../../test/suite-failure.ts';

const runs = Number(process.env.HARNESS_LOCAL_RUNS ?? 25);

async function keysLike(pattern: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      count += keys.length;
      cursor = next;
    } while (cursor !== '0');
    return count;
  } finally {
    redis.disconnect();
  }
}

describe('eventwire test --brokers local, Redis Streams', () => {
  it(`order/onCartCheckedOut holds over ${runs} runs of every real fault kind, and leaves no keys behind`, async () => {
    const target = await platformTarget('order/onCartCheckedOut');
    await using started = await localBrokers().start(new Set(['redis']));
    // Every run's key prefix, as the provider hands it out (other files may run suites of the same operation).
    const prefixes: string[] = [];
    const brokers = {
      ...started,
      isolate: async (runId: string) => {
        const isolation = await started.isolate(runId);
        prefixes.push(isolation.redisPrefix!);
        return isolation;
      },
    };
    const result = await runSuite(realBackend('local'), brokers, target, {
      faults: REAL_FAULTS,
      runs,
      seed: 2,
      timeScale: REAL_TIME_SCALE,
    });
    expect(result.failure?.text ?? '', failureSummary(result)).toBe('');
    expect(result.runs).toBe(runs);
    // Faults happened on the real brokers, not just in the schedules: crashes landed, copies arrived.
    const happened = (fault: string) => result.coverage.find((row) => row.fault === fault)?.runs ?? 0;
    expect(
      happened('crash-before-handler') + happened('crash-after-handler') + happened('crash-after-commit'),
    ).toBeGreaterThan(0);
    expect(happened('duplicate')).toBeGreaterThan(0);
    expect(result.counts.lost).toBe(0);
    expect(prefixes).toHaveLength(runs);
    for (const prefix of prefixes) expect(await keysLike(`${prefix}*`), prefix).toBe(0);
  }, 120_000);

  it('a crash after the handler kills the consumer process; a new one handles the event again (explained duplicate)', async () => {
    const target = await platformTarget('order/onCartCheckedOut');
    await using brokers = await localBrokers().start(new Set(['redis']));
    await using session = await realBackend('local').openSuite(target, brokers, {
      timeScale: REAL_TIME_SCALE,
    });
    const steps: Step[] = [
      { kind: 'crash', point: 'after-handler' },
      { kind: 'publish', event: 'e1', payload: 0 },
    ];
    const plan = planOf(target, steps, `crash-${Date.now()}`, REAL_TIME_SCALE);
    let history: readonly HistoryEvent[] = [];
    {
      await using driver = await session.startRun(plan);
      const quiescence = await runPlan(driver, plan);
      history = driver.history();
      expect(quiescence.quiet).toBe(true);
    }
    const of = (type: string) => history.filter((record) => record.type === type);
    expect(of('crashed')).toMatchObject([{ consumer: 1, point: 'after-handler', event: 'e1' }]);
    expect(of('restarted')).toMatchObject([{ consumer: 2 }]);
    // The first process made the effect and died before the commit; the second made it again and committed.
    expect(of('handler-finished').map((record) => ('consumer' in record ? record.consumer : 0))).toEqual([
      1, 2,
    ]);
    expect(of('committed')).toMatchObject([{ consumer: 2 }]);
    expect(of('acked')).toMatchObject([{ consumer: 2, event: 'e1' }]);
  }, 60_000);

  it('a broker that does not answer is a BrokerUnavailableError naming the URL and the fix', async () => {
    const provider = localBrokers({ REDIS_URL: 'redis://127.0.0.1:1' });
    const error = await provider.start(new Set(['redis'])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect((error as Error).message).toMatch(
      /^Redis at redis:\/\/127\.0\.0\.1:1 does not answer: .+ point REDIS_URL/,
    );
  }, 20_000);
});
