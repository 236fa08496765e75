/**
 * `eventwire test`'s engine, memory mode, on every receive operation of the services the flows added real
 * handlers to (catalog, search, pricing, return, payment): every fault kind, the contract's invariants, a fixed
 * seed so a failure replays. HARNESS_RUNS sets the runs per operation (default 40).
 */
import { describe, it } from 'vitest';
import { ALL_FAULTS, runSuite } from '../engine/suite.ts';
import { assertHolds } from '../index.ts';
import { memoryBrokers } from '../memory/provider.ts';
import { memoryBackend } from '../memory/world.ts';
import { platformTarget } from '../test/targets.ts';

const OPERATIONS = [
  'catalog/onPriceUpdated',
  'catalog/onWarehouseStockChanged',
  'search/onProductCreated',
  'search/onProductUpdated',
  'search/onProductDeleted',
  'pricing/onPriceRecalculationRequested',
  'pricing/onPromotionCreated',
  'pricing/onPromotionUpdated',
  'pricing/onPromotionExpired',
  'pricing/onWarehouseStockChanged',
  'return/onOrderDelivered',
  'return/onInventoryRestocked',
  'return/onPaymentRefunded',
  'payment/onPaymentCaptureRequested',
];

describe('eventwire test engine, memory mode: the flows services hold under every fault', () => {
  const runs = Number(process.env.HARNESS_RUNS ?? 40);
  it.each(OPERATIONS)(
    '%s',
    async (selector) => {
      const target = await platformTarget(selector, 3);
      await using brokers = await memoryBrokers.start(new Set());
      const result = await runSuite(memoryBackend(), brokers, target, {
        faults: new Set(ALL_FAULTS),
        runs,
        seed: 3,
      });
      assertHolds(result);
    },
    60_000,
  );
});
