/**
 * `eventwire test --brokers containers` on the platform's six flows (issue #11, "Done when"): one receive operation
 * of each flow's services, with their own handlers and their effects in PostgreSQL, on throwaway Redis, RabbitMQ
 * and PostgreSQL. Every broker fault kind (restart, pause, proxy down, reset, latency) is forced once per
 * operation (the coverage-directed first runs), hits the broker the operation's transport runs on, and must have
 * happened; every invariant must hold.
 *
 * The same flows by hand: `npx eventwire test order/onCartCheckedOut payment/onPaymentCaptureRequested
 * notification/onOrderCreated search/onProductUpdated catalog/onPriceUpdated return/onOrderDelivered
 * identity/onEmailEvent --brokers containers --faults broker-restart,broker-pause,proxy-down,proxy-reset,proxy-latency
 * --runs 5` (README.md, "eventwire test").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSuite } from '../../engine/suite.ts';
import { BROKER_FAULTS, type StartedBrokers } from '../../engine/types.ts';
import { REAL_TIME_SCALE, realBackend } from '../../real/suite.ts';
import { platformTarget } from '../../test/targets.ts';
import { containersProvider } from '../provider.ts';
import { failureSummary } from '../../test/suite-failure.ts';

/** Flow -> the receive operation that runs it (the flows' own tests: harness/flows/). */
const FLOW_OPERATIONS = {
  // Its first step, order/onCartCheckedOut, runs under the same faults (20 runs) in harness-redis.test.ts.
  'order placement + payment': 'payment/onPaymentCaptureRequested',
  notification: 'notification/onOrderCreated',
  'product update': 'search/onProductUpdated',
  'price update': 'catalog/onPriceUpdated',
  return: 'return/onOrderDelivered',
  'identity (finish line, dual publish, RabbitMQ)': 'identity/onEmailEvent',
} as const;

let brokers: StartedBrokers;

beforeAll(async () => {
  brokers = await containersProvider().start(new Set(['redis', 'rabbitmq', 'postgres']));
}, 180_000);

afterAll(async () => {
  await brokers?.[Symbol.asyncDispose]();
});

describe('eventwire test --brokers containers: the six flows under every broker fault', () => {
  it.each(Object.entries(FLOW_OPERATIONS))(
    '%s (%s) holds; every broker fault happened',
    async (_flow, selector) => {
      const target = await platformTarget(selector, 7);
      const result = await runSuite(realBackend('containers'), brokers, target, {
        faults: new Set(BROKER_FAULTS),
        runs: BROKER_FAULTS.length,
        seed: 7,
        timeScale: REAL_TIME_SCALE,
      });
      expect(result.failure?.text ?? '', failureSummary(result)).toBe('');
      // Each kind was injected in a run (coverage counts only faults that were carried out).
      for (const fault of BROKER_FAULTS)
        expect(result.coverage.find((row) => row.fault === fault)?.runs, fault).toBeGreaterThan(0);
      expect(result.uncovered).toEqual([]);
      expect(result.counts.lost).toBe(0);
      expect(result.counts.handled).toBeGreaterThan(0);
    },
    120_000,
  );
});
