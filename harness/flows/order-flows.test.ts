/**
 * Order placement (checkout -> order -> warehouse, fulfillment -> shipping, with payment) and notification (every
 * customer-facing event -> one mail) end to end on the machine's Redis Streams and PostgreSQL: seven services,
 * each with its generated consumer, its own handlers and its tables in one schema, read back after the flow.
 */
import { type ConsumerHandle, decodeDeliveryBody, type EventEnvelope, type Runtime } from 'eventwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import {
  createOrderPublisher,
  type OrdersOrderCreated,
  startOrderConsumer,
} from '../../generated/order/index.ts';
import * as payment from '../../generated/payment/handlers.ts';
import { createPaymentPublisher, startPaymentConsumer } from '../../generated/payment/index.ts';
import { createReviewPublisher, type ReviewsReviewCreated } from '../../generated/review/index.ts';
import * as shipping from '../../generated/shipping/handlers.ts';
import { createShippingPublisher, startShippingConsumer } from '../../generated/shipping/index.ts';
import * as warehouse from '../../generated/warehouse/handlers.ts';
import { createWarehousePublisher, startWarehouseConsumer } from '../../generated/warehouse/index.ts';
import { cartCheckedOut } from '../support/order-fixtures.ts';
import { eventually, until } from '../support/poll.ts';
import { platformTarget } from '../test/targets.ts';
import { FlowPlatform } from './platform.ts';

let platform: FlowPlatform;
let carts: ReturnType<typeof createCheckoutPublisher>;
/** The order API's confirm step (it asks payment to capture), played by the test with the order's publisher. */
let orderApi: ReturnType<typeof createOrderPublisher>;

beforeAll(async () => {
  platform = await FlowPlatform.open('orders');
  const runtime = (name: string): Runtime => platform.runtime(name);
  const start = async <H extends object>(
    service: string,
    starter: (serviceRuntime: Runtime, handlers: H) => Promise<ConsumerHandle>,
    serviceRuntime: Runtime,
    handlers: H,
  ) => platform.started(await starter(serviceRuntime, platform.recorded(service, handlers)));

  const rt = {
    checkout: runtime('checkout'),
    order: runtime('order'),
    warehouse: runtime('warehouse'),
    fulfillment: runtime('fulfillment'),
    shipping: runtime('shipping'),
    notification: runtime('notification'),
    payment: runtime('payment'),
  };
  carts = createCheckoutPublisher(rt.checkout);
  orderApi = createOrderPublisher(runtime('order-api'));
  await start(
    'order',
    startOrderConsumer,
    rt.order,
    order.createHandlers({
      publisher: createOrderPublisher(rt.order),
      ...(await platform.deps(order, 'order', 'onCartCheckedOut')),
    }),
  );
  await start(
    'warehouse',
    startWarehouseConsumer,
    rt.warehouse,
    warehouse.createHandlers({
      publisher: createWarehousePublisher(rt.warehouse),
      ...(await platform.deps(warehouse, 'warehouse', 'onOrderCreated')),
    }),
  );
  await start(
    'fulfillment',
    startFulfillmentConsumer,
    rt.fulfillment,
    fulfillment.createHandlers({
      publisher: createFulfillmentPublisher(rt.fulfillment),
      ...(await platform.deps(fulfillment, 'fulfillment', 'onInventoryReserved')),
    }),
  );
  await start(
    'shipping',
    startShippingConsumer,
    rt.shipping,
    shipping.createHandlers({
      publisher: createShippingPublisher(rt.shipping),
      progress: platform.progress(),
      ...(await platform.deps(shipping, 'shipping', 'onFulfillmentStatusChanged')),
    }),
  );
  await start(
    'notification',
    startNotificationConsumer,
    rt.notification,
    notification.createHandlers({
      publisher: createNotificationPublisher(rt.notification),
      ...(await platform.deps(notification, 'notification', 'onOrderCreated')),
    }),
  );
  await start(
    'payment',
    startPaymentConsumer,
    rt.payment,
    payment.createHandlers({
      publisher: createPaymentPublisher(rt.payment),
      ...(await platform.deps(payment, 'payment', 'onPaymentCaptureRequested')),
    }),
  );
  await start(
    'checkout',
    startCheckoutConsumer,
    rt.checkout,
    checkout.createHandlers({
      publisher: carts,
      ...(await platform.deps(checkout, 'checkout', 'onOrderCreated')),
    }),
  );
}, 60_000);

afterAll(async () => {
  await platform?.[Symbol.asyncDispose]();
});

async function published<T>(
  topic: string,
  match: (event: EventEnvelope<T>) => boolean = () => true,
): Promise<EventEnvelope<T>[]> {
  return (await platform.redis.entries(topic))
    .map((entry) => decodeDeliveryBody(Buffer.from(entry.fields.data!)) as EventEnvelope<T>)
    .filter(match);
}

async function templatesFor(customerId: string): Promise<Record<string, number>> {
  const rows = await platform.rows<{ template: string; sent: string }>(
    'SELECT template, count(*) AS sent FROM sent_notifications WHERE customer_id = $1 GROUP BY template',
    [customerId],
  );
  return Object.fromEntries(rows.map((row) => [row.template, Number(row.sent)]));
}

describe('order placement on Redis Streams: checkout -> order -> warehouse, fulfillment -> shipping, payment; effects in PostgreSQL', () => {
  it('one cart becomes one order, one reservation, one fulfillment ready to ship, one shipment, one capture, and its mails', async () => {
    const cart = cartCheckedOut('700001', 2);
    const orderId = order.orderIdOf(cart.cart_id, cart.checked_out_at);
    const checkedOut = await carts.publishCheckoutCartCheckedOut(cart);

    const shipment = await eventually(
      'shipment booked',
      async () =>
        (
          await platform.rows<{ shipment_id: string; fulfillment_id: string }>(
            'SELECT shipment_id, fulfillment_id FROM shipments',
          )
        ).at(0),
      30_000,
    );
    const [placed] = await platform.rows<{ customer_id: string; document: OrdersOrderCreated }>(
      'SELECT customer_id, document FROM orders WHERE order_id = $1',
      [orderId],
    );
    expect(placed).toMatchObject({
      customer_id: cart.customer_id,
      document: { status: 'pending', totals: cart.totals },
    });
    expect(
      await platform.rows('SELECT reservation_id FROM reservations WHERE order_id = $1', [orderId]),
    ).toHaveLength(1);
    const [record] = await platform.rows<{ fulfillment_id: string; record: fulfillment.FulfillmentRecord }>(
      'SELECT fulfillment_id, record FROM fulfillments WHERE order_id = $1',
      [orderId],
    );
    expect(record!.fulfillment_id).toBe(shipment.fulfillment_id);
    expect(record!.record.stock?.items).toEqual([
      { product_id: 'prod_456', sku: 'TSHIRT-BLK-M', quantity: 2 },
    ]);
    expect(
      await platform.rows(
        'SELECT sequence, status FROM fulfillment_statuses WHERE fulfillment_id = $1 ORDER BY sequence',
        [shipment.fulfillment_id],
      ),
    ).toEqual([
      { sequence: 1, status: 'created' },
      { sequence: 2, status: 'ready_to_ship' },
    ]);
    await until(
      'cart closed',
      async () =>
        (await platform.rows('SELECT 1 FROM closed_carts WHERE cart_id = $1', [cart.cart_id])).length === 1,
    );

    // The order API confirms the order and asks payment to capture; payment announces the outcome.
    await orderApi.publishOrdersPaymentCaptureRequested({
      order_id: orderId,
      payment_id: 'pay_700001',
      customer_id: cart.customer_id,
      amount: cart.totals.grand_total,
      payment_method: cart.payment.method,
      requested_at: '2026-01-30T10:35:00Z',
    });
    await until(
      'payment captured',
      async () => (await platform.rows('SELECT 1 FROM captures WHERE order_id = $1', [orderId])).length === 1,
    );

    // Notification: one mail per customer-facing step, none twice.
    await until(
      'three mails to the customer',
      async () => Object.keys(await templatesFor(cart.customer_id)).length >= 3,
    );
    expect(await templatesFor(cart.customer_id)).toEqual({
      'order-confirmation': 1,
      'order-received': 1,
      'payment-received': 1,
    });
    // The shipment mail goes to the customer shipping.shipment.created names. Shipping cannot know the order's
    // customer (fulfillments.fulfillment.status_changed carries no customer_id; a contract gap), so it derives
    // one: the mail is checked against what shipping announced.
    const [booked] = await published<{ customer_id: string }>('shipping.shipment.created');
    await until(
      'shipment mail',
      async () => (await templatesFor(booked!.data.customer_id))['shipment-created'] === 1,
    );
    // The whole placement shares the cart's correlation id.
    const chain = await published<unknown>('shipping.shipment.created');
    expect(chain.map((event) => event.metadata.correlation_id)).toEqual([checkedOut.metadata.correlation_id]);
    expect(platform.calls.filter((call) => call.error !== undefined)).toEqual([]);
  }, 45_000);
});

describe('notification: each customer-facing event becomes one mail, a duplicate none', () => {
  it('mails a review thank-you from the contract example once, even when the event arrives twice', async () => {
    const example = (await platformTarget('notification/onReviewCreated'))
      .payloads[0] as ReviewsReviewCreated;
    const reviews = createReviewPublisher(platform.runtime('review'));
    const sent = await reviews.publishReviewsReviewCreated(example);
    await until('review mail', async () => (await templatesFor(example.customer_id))['review-thanks'] === 1);

    // The same stream entry again: what a publisher retrying after a lost reply produces.
    const [entry] = (await platform.redis.entries('reviews.review.created')).filter(
      (candidate) => decodeDeliveryBody(Buffer.from(candidate.fields.data!)).event_id === sent.event_id,
    );
    const duplicateId = (await platform.redis.raw.xadd(
      `${platform.redis.prefix}reviews.review.created`,
      '*',
      ...Object.entries(entry!.fields).flat(),
    )) as string;
    await until('duplicate delivered and acknowledged', async () => {
      const group = await platform.redis.group('reviews.review.created', 'notification');
      return group !== undefined && group.lastDeliveredId === duplicateId && group.pending === 0;
    });
    expect(await templatesFor(example.customer_id)).toEqual({ 'review-thanks': 1 });
    const announced = await published<{ template: string }>(
      'notifications.notification.sent',
      (event) => event.metadata.causation_id === sent.event_id,
    );
    expect(announced.map((event) => event.data.template)).toEqual(['review-thanks']);
    // No notification was sent twice in this whole file.
    expect(
      await platform.rows(
        'SELECT notification_id FROM sent_notifications GROUP BY notification_id HAVING count(*) > 1',
      ),
    ).toEqual([]);
  });
});
