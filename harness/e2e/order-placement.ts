/**
 * The order-placement flow of the platform, run in one process on the in-memory transport: six services, each
 * with its generated consumer (every handler of its map, as in production) and generated publisher, its own
 * runtime and idempotency store, exchanging events only through the transport.
 *
 *   checkout --cart.checked_out--> order --order.created--> warehouse, fulfillment, notification, checkout
 *                                        --order.status_changed (1, pending)--> fulfillment, notification
 *   warehouse --inventory.reserved--> fulfillment --fulfillment.status_changed (1 created, 2 ready_to_ship)-->
 *   shipping --shipment.created--> notification;  notification --notification.sent--> (analytics, not started)
 *
 * Every handler records its business effect in a ledger keyed by what the effect is about, so a test can check
 * that each effect happened exactly once whatever the transport did.
 */
import {
  type ConsumerHandle,
  type FaultInjector,
  MemoryIdempotencyStore,
  MemoryOrderingStore,
  MemoryTransport,
  type Runtime,
  VirtualClock,
} from 'eventwire/runtime';
import { createCheckoutPublisher, startCheckoutConsumer } from '../../generated/checkout/index.ts';
import { startFulfillmentConsumer, createFulfillmentPublisher } from '../../generated/fulfillment/index.ts';
import {
  createNotificationPublisher,
  startNotificationConsumer,
} from '../../generated/notification/index.ts';
import { createOrderPublisher, startOrderConsumer } from '../../generated/order/index.ts';
import { createShippingPublisher, startShippingConsumer } from '../../generated/shipping/index.ts';
import { createWarehousePublisher, startWarehouseConsumer } from '../../generated/warehouse/index.ts';
import { unexpected } from '../support/handler-log.ts';
import {
  fulfillmentProgress,
  ids,
  inventoryReserved,
  notificationSent,
  orderCreated,
  orderPending,
  shipmentCreated,
} from '../support/order-fixtures.ts';

/** Counts each business effect by `<service>:<subscription>:<subject>`. */
export class EffectLedger {
  readonly counts = new Map<string, number>();

  record(service: string, subscription: string, subject: string): void {
    const key = `${service}:${subscription}:${subject}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}

/** The effects one order must produce, each exactly once. */
export function expectedEffects(serial: string): string[] {
  const order = ids.order(serial);
  const fulfillment = ids.fulfillment(serial);
  return [
    `order:cart-checked-out:${ids.cart(serial)}`,
    `warehouse:order-created:${order}`,
    `fulfillment:order-created:${order}`,
    `fulfillment:order-status-changed:${order}#1`,
    `fulfillment:inventory-reserved:${ids.reservation(serial)}`,
    `shipping:fulfillment-status-changed:${fulfillment}#1`,
    `shipping:fulfillment-status-changed:${fulfillment}#2`,
    `notification:order-created:${order}`,
    `notification:order-status-changed:${order}#1`,
    `notification:shipment-created:${ids.shipment(serial)}`,
    `checkout:order-created:${order}`,
  ];
}

export interface Platform {
  readonly clock: VirtualClock;
  readonly transport: MemoryTransport;
  readonly ledger: EffectLedger;
  /** Fulfillment sequences in the order shipping handled them, per fulfillment id. */
  readonly shippingSequences: Map<string, number[]>;
  readonly checkout: ReturnType<typeof createCheckoutPublisher>;
  stop(): Promise<void>;
}

export async function startPlatform(options: { seed: number; faults?: FaultInjector }): Promise<Platform> {
  const clock = new VirtualClock();
  const transport = new MemoryTransport({
    clock,
    seed: options.seed,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const ledger = new EffectLedger();
  const shippingSequences = new Map<string, number[]>();
  // One process per service: its own idempotency and ordering state, nothing shared but the transport.
  const runtime = (name: string): Runtime => ({
    service: { name, version: '1.0.0' },
    transport,
    idempotency: new MemoryIdempotencyStore({ clock }),
    ordering: new MemoryOrderingStore(),
  });
  const [
    checkoutRuntime,
    orderRuntime,
    warehouseRuntime,
    fulfillmentRuntime,
    shippingRuntime,
    notificationRuntime,
  ] = ['checkout', 'order', 'warehouse', 'fulfillment', 'shipping', 'notification'].map(runtime) as [
    Runtime,
    Runtime,
    Runtime,
    Runtime,
    Runtime,
    Runtime,
  ];
  const order = createOrderPublisher(orderRuntime);
  const warehouse = createWarehousePublisher(warehouseRuntime);
  const fulfillment = createFulfillmentPublisher(fulfillmentRuntime);
  const shipping = createShippingPublisher(shippingRuntime);
  const notification = createNotificationPublisher(notificationRuntime);

  const consumers: ConsumerHandle[] = [
    await startOrderConsumer(orderRuntime, {
      async onCartCheckedOut(event, context) {
        ledger.record('order', context.subscription, event.data.cart_id);
        const created = await order.publishOrdersOrderCreated(orderCreated(event.data), context.follow);
        await order.publishOrdersOrderStatusChanged(orderPending(created.data), context.follow);
      },
      onCheckoutStarted: unexpected('order.onCheckoutStarted'),
    }),
    await startWarehouseConsumer(warehouseRuntime, {
      async onOrderCreated(event, context) {
        ledger.record('warehouse', context.subscription, event.data.order_id);
        await warehouse.publishWarehouseInventoryReserved(inventoryReserved(event.data), context.follow);
      },
      onReturnRequested: unexpected('warehouse.onReturnRequested'),
    }),
    await startFulfillmentConsumer(fulfillmentRuntime, {
      async onOrderCreated(event, context) {
        ledger.record('fulfillment', context.subscription, event.data.order_id);
      },
      async onOrderStatusChanged(event, context) {
        ledger.record('fulfillment', context.subscription, `${event.data.order_id}#${event.data.sequence}`);
      },
      async onInventoryReserved(event, context) {
        ledger.record('fulfillment', context.subscription, event.data.reservation_id);
        for (const status of fulfillmentProgress(event.data)) {
          await fulfillment.publishFulfillmentsFulfillmentStatusChanged(status, context.follow);
        }
      },
    }),
    await startShippingConsumer(shippingRuntime, {
      async onFulfillmentStatusChanged(event, context) {
        const { fulfillment_id: id, sequence } = event.data;
        ledger.record('shipping', context.subscription, `${id}#${sequence}`);
        shippingSequences.set(id, [...(shippingSequences.get(id) ?? []), sequence]);
        if (event.data.new_status !== 'ready_to_ship') return;
        const customer = `cust_${ids.serialOf(id)}`;
        await shipping.publishShippingShipmentCreated(shipmentCreated(event.data, customer), context.follow);
      },
    }),
    await startNotificationConsumer(notificationRuntime, {
      async onOrderCreated(event, context) {
        ledger.record('notification', context.subscription, event.data.order_id);
        const sent = notificationSent(
          ids.serialOf(event.data.order_id),
          event.data.customer_id,
          event.event_type,
        );
        await notification.publishNotificationsNotificationSent(sent, context.follow);
      },
      async onOrderStatusChanged(event, context) {
        ledger.record('notification', context.subscription, `${event.data.order_id}#${event.data.sequence}`);
      },
      async onShipmentCreated(event, context) {
        ledger.record('notification', context.subscription, event.data.shipment_id);
        const sent = notificationSent(
          ids.serialOf(event.data.shipment_id),
          event.data.customer_id,
          event.event_type,
        );
        await notification.publishNotificationsNotificationSent(sent, context.follow);
      },
      onPaymentProcessed: unexpected('notification.onPaymentProcessed'),
      onReturnRequested: unexpected('notification.onReturnRequested'),
      onReviewCreated: unexpected('notification.onReviewCreated'),
    }),
    await startCheckoutConsumer(checkoutRuntime, {
      async onOrderCreated(event, context) {
        ledger.record('checkout', context.subscription, event.data.order_id);
      },
      onAddressValidated: unexpected('checkout.onAddressValidated'),
      onPriceChanged: unexpected('checkout.onPriceChanged'),
      onPromotionExpired: unexpected('checkout.onPromotionExpired'),
    }),
  ];

  return {
    clock,
    transport,
    ledger,
    shippingSequences,
    checkout: createCheckoutPublisher(checkoutRuntime),
    async stop() {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await transport.close();
    },
  };
}
