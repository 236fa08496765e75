/**
 * Order placement across six generated services and their own handlers, on the in-memory transport:
 *  - one flow end to end (every follow-up names its cause, the whole order shares one correlation id and
 *    trace, every service's store holds its effect once);
 *  - `eventwire test`'s engine on every receive operation of the six services (memory mode, every fault kind):
 *    generated schedules, shrunk counterexamples, the contract's invariants. HARNESS_RUNS sets the runs per
 *    operation (default 40); a failure prints the replay command (seed and path).
 */
import { decodeEnvelope, type EventEnvelope } from 'eventwire/runtime';
import { describe, expect, it } from 'vitest';
import { assertHolds } from '../index.ts';
import { ALL_FAULTS, runSuite } from '../engine/suite.ts';
import { memoryBrokers } from '../memory/provider.ts';
import { memoryBackend } from '../memory/world.ts';
import { cartCheckedOut } from '../support/order-fixtures.ts';
import { platformTarget } from '../test/targets.ts';
import { startPlatform } from './order-placement.ts';

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe("in-memory platform: order placement through the generated consumers and the services' own handlers", () => {
  it('chains every follow-up to its cause: one correlation id per order, causation = the event handled', async () => {
    const platform = await startPlatform({ seed: 1 });
    try {
      for (const [index, quantity] of [1, 2, 3].entries()) {
        await platform.checkout.publishCheckoutCartCheckedOut(
          cartCheckedOut(String(100_001 + index), quantity),
        );
      }
      await platform.transport.drain();
      const events = platform.transport.published.map(
        (message) => decodeEnvelope(message.body) as EventEnvelope<Record<string, unknown>>,
      );
      const byId = new Map(events.map((event) => [event.event_id, event]));
      const causeOf = (event: EventEnvelope<unknown>) =>
        byId.get(event.metadata.causation_id ?? '')?.event_type;
      expect(
        countBy(
          events.filter((event) => event.metadata.causation_id !== undefined),
          (event) => `${causeOf(event)} -> ${event.event_type}`,
        ),
      ).toEqual({
        'checkout.cart.checked_out -> orders.order.created': 3,
        'checkout.cart.checked_out -> orders.order.status_changed': 3,
        'orders.order.created -> warehouse.inventory.reserved': 3,
        'orders.order.created -> notifications.notification.sent': 3,
        'orders.order.status_changed -> notifications.notification.sent': 3,
        'warehouse.inventory.reserved -> fulfillments.fulfillment.status_changed': 6,
        'fulfillments.fulfillment.status_changed -> shipping.shipment.created': 3,
        'shipping.shipment.created -> notifications.notification.sent': 3,
      });
      for (const cart of events.filter((event) => event.event_type === 'checkout.cart.checked_out')) {
        const group = events.filter(
          (event) => event.metadata.correlation_id === cart.metadata.correlation_id,
        );
        expect(group).toHaveLength(10); // the cart, then 9 follow-ups across five services
        const traces = new Set(group.map((event) => event.metadata.traceparent?.split('-')[1]));
        expect(traces).toEqual(new Set([cart.metadata.traceparent?.split('-')[1]]));
      }
      // Every service's own store holds its effect of each order, once.
      const { stores } = platform;
      expect(stores.orders.orders.size).toBe(3);
      expect(stores.stock.reservations.size).toBe(3);
      expect(stores.shipments.bookings.size).toBe(3);
      expect([...stores.shipments.statuses.values()]).toEqual([
        ['1:created', '2:ready_to_ship'],
        ['1:created', '2:ready_to_ship'],
        ['1:created', '2:ready_to_ship'],
      ]);
      expect(stores.carts.closed.size).toBe(3);
      expect(countBy(stores.mailer.sent, (sent) => sent.template)).toEqual({
        'order-confirmation': 3,
        'order-received': 3,
        'shipment-created': 3,
      });
      expect(platform.transport.deadLetters).toEqual([]);
    } finally {
      await platform.stop();
    }
  });
});

const OPERATIONS = [
  'checkout/onAddressValidated',
  'checkout/onOrderCreated',
  'checkout/onPriceChanged',
  'checkout/onPromotionExpired',
  'order/onCartCheckedOut',
  'order/onCheckoutStarted',
  'warehouse/onOrderCreated',
  'warehouse/onReturnRequested',
  'fulfillment/onOrderCreated',
  'fulfillment/onOrderStatusChanged',
  'fulfillment/onInventoryReserved',
  'shipping/onFulfillmentStatusChanged',
  'notification/onOrderCreated',
  'notification/onOrderStatusChanged',
  'notification/onShipmentCreated',
  'identity/onEmailEvent',
];

describe('eventwire test engine, memory mode: the order-placement services and identity hold under every fault', () => {
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
