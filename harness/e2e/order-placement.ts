/**
 * The order-placement flow of the platform, run in one process on the in-memory transport: six services, each
 * with its generated consumer and publisher, its own runtime and idempotency store, and its own handlers as the
 * service keeps them (`generated/<service>/handlers.ts`, `createHandlers(deps)`), exchanging events only through
 * the transport.
 *
 *   checkout --cart.checked_out--> order --order.created--> warehouse, fulfillment, notification, checkout
 *                                        --order.status_changed (1, pending)--> fulfillment, notification
 *   warehouse --inventory.reserved--> fulfillment --fulfillment.status_changed (1 created, 2 ready_to_ship)-->
 *   shipping (finish line: both statuses done) --shipment.created--> notification
 */
import {
  type ConsumerHandle,
  MemoryIdempotencyStore,
  MemoryOrderingStore,
  MemoryProgressTracker,
  MemoryTransport,
  type Runtime,
  VirtualClock,
} from 'eventwire/runtime';
import * as checkout from '../../generated/checkout/handlers.ts';
import { createCheckoutPublisher, startCheckoutConsumer } from '../../generated/checkout/index.ts';
import * as fulfillment from '../../generated/fulfillment/handlers.ts';
import { createFulfillmentPublisher, startFulfillmentConsumer } from '../../generated/fulfillment/index.ts';
import * as notification from '../../generated/notification/handlers.ts';
import {
  createNotificationPublisher,
  startNotificationConsumer,
} from '../../generated/notification/index.ts';
import * as order from '../../generated/order/handlers.ts';
import { createOrderPublisher, startOrderConsumer } from '../../generated/order/index.ts';
import * as shipping from '../../generated/shipping/handlers.ts';
import { createShippingPublisher, startShippingConsumer } from '../../generated/shipping/index.ts';
import * as warehouse from '../../generated/warehouse/handlers.ts';
import { createWarehousePublisher, startWarehouseConsumer } from '../../generated/warehouse/index.ts';

/** Where each service keeps its effects: what a test reads back. */
export interface Stores {
  readonly carts: checkout.MemoryCartStore;
  readonly orders: order.MemoryOrderBook;
  readonly stock: warehouse.MemoryStockLedger;
  readonly fulfillments: fulfillment.MemoryFulfillmentStore;
  readonly shipments: shipping.MemoryShipmentBook;
  readonly mailer: notification.RecordingMailer;
}

export interface Platform {
  readonly clock: VirtualClock;
  readonly transport: MemoryTransport;
  readonly stores: Stores;
  readonly checkout: ReturnType<typeof createCheckoutPublisher>;
  stop(): Promise<void>;
}

export async function startPlatform(options: { seed: number }): Promise<Platform> {
  const clock = new VirtualClock();
  const transport = new MemoryTransport({ clock, seed: options.seed });
  // One process per service: its own idempotency and ordering state, nothing shared but the transport.
  const runtime = (name: string): Runtime => ({
    service: { name, version: '1.0.0' },
    transport,
    idempotency: new MemoryIdempotencyStore({ clock }),
    ordering: new MemoryOrderingStore(),
  });
  const stores: Stores = {
    carts: new checkout.MemoryCartStore(),
    orders: new order.MemoryOrderBook(),
    stock: new warehouse.MemoryStockLedger(),
    fulfillments: new fulfillment.MemoryFulfillmentStore(),
    shipments: new shipping.MemoryShipmentBook(),
    mailer: new notification.RecordingMailer(),
  };
  const runtimes = {
    checkout: runtime('checkout'),
    order: runtime('order'),
    warehouse: runtime('warehouse'),
    fulfillment: runtime('fulfillment'),
    shipping: runtime('shipping'),
    notification: runtime('notification'),
  };
  const consumers: ConsumerHandle[] = [
    await startOrderConsumer(
      runtimes.order,
      order.createHandlers({ publisher: createOrderPublisher(runtimes.order), orders: stores.orders }),
    ),
    await startWarehouseConsumer(
      runtimes.warehouse,
      warehouse.createHandlers({
        publisher: createWarehousePublisher(runtimes.warehouse),
        stock: stores.stock,
      }),
    ),
    await startFulfillmentConsumer(
      runtimes.fulfillment,
      fulfillment.createHandlers({
        publisher: createFulfillmentPublisher(runtimes.fulfillment),
        fulfillments: stores.fulfillments,
      }),
    ),
    await startShippingConsumer(
      runtimes.shipping,
      shipping.createHandlers({
        publisher: createShippingPublisher(runtimes.shipping),
        shipments: stores.shipments,
        progress: new MemoryProgressTracker(),
      }),
    ),
    await startNotificationConsumer(
      runtimes.notification,
      notification.createHandlers({
        publisher: createNotificationPublisher(runtimes.notification),
        mailer: stores.mailer,
      }),
    ),
    await startCheckoutConsumer(
      runtimes.checkout,
      checkout.createHandlers({ publisher: createCheckoutPublisher(runtimes.checkout), carts: stores.carts }),
    ),
  ];
  return {
    clock,
    transport,
    stores,
    checkout: createCheckoutPublisher(runtimes.checkout),
    async stop() {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await transport.close();
    },
  };
}
