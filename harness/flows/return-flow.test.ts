/**
 * Return end to end on the machine's Redis Streams and PostgreSQL: payment captures an order's payment, the
 * customer returns two SKUs (return API) -> warehouse restocks each (warehouse.inventory.restocked, source the
 * return) -> return, once both are back, asks the payment API for the refund -> payments.payment.refunded ->
 * return completes (returns.return.completed); notification mails the customer about the return. Every effect
 * is read back from the services' tables; the announcements from the streams.
 */
import { decodeDeliveryBody, type EventEnvelope } from 'eventwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as notification from '../../generated/notification/handlers.ts';
import {
  createNotificationPublisher,
  startNotificationConsumer,
} from '../../generated/notification/index.ts';
import { createOrderPublisher } from '../../generated/order/index.ts';
import * as payment from '../../generated/payment/handlers.ts';
import { createPaymentPublisher, startPaymentConsumer } from '../../generated/payment/index.ts';
import * as returns from '../../generated/return/handlers.ts';
import {
  createReturnPublisher,
  type ReturnsReturnRequested,
  startReturnConsumer,
} from '../../generated/return/index.ts';
import * as warehouse from '../../generated/warehouse/handlers.ts';
import { createWarehousePublisher, startWarehouseConsumer } from '../../generated/warehouse/index.ts';
import { eventually, until } from '../support/poll.ts';
import { uniqueTag } from '../support/tags.ts';
import { FlowPlatform } from './platform.ts';

let platform: FlowPlatform;
let returnApi: ReturnType<typeof returns.createReturnApi>;
let orders: ReturnType<typeof createOrderPublisher>;

beforeAll(async () => {
  platform = await FlowPlatform.open('return');
  const runtimes = {
    return: platform.runtime('return'),
    warehouse: platform.runtime('warehouse'),
    payment: platform.runtime('payment'),
    notification: platform.runtime('notification'),
  };
  const paymentDeps = {
    publisher: createPaymentPublisher(runtimes.payment),
    ...(await platform.deps(payment, 'payment', 'onPaymentCaptureRequested')),
  };
  const { returns: book } = await platform.deps(returns, 'return', 'onInventoryRestocked');
  // The return service calls the payment service's own API (HTTP in production, in process here).
  const returnDeps = {
    publisher: createReturnPublisher(runtimes.return),
    returns: book,
    payments: payment.createPaymentApi(paymentDeps),
  };
  returnApi = returns.createReturnApi(returnDeps);
  orders = createOrderPublisher(platform.runtime('order'));
  platform.started(
    await startPaymentConsumer(
      runtimes.payment,
      platform.recorded('payment', payment.createHandlers(paymentDeps)),
    ),
  );
  platform.started(
    await startReturnConsumer(
      runtimes.return,
      platform.recorded('return', returns.createHandlers(returnDeps)),
    ),
  );
  const warehouseDeps = await platform.deps(warehouse, 'warehouse', 'onReturnRequested');
  platform.started(
    await startWarehouseConsumer(
      runtimes.warehouse,
      platform.recorded(
        'warehouse',
        warehouse.createHandlers({
          publisher: createWarehousePublisher(runtimes.warehouse),
          ...warehouseDeps,
        }),
      ),
    ),
  );
  const notificationDeps = await platform.deps(notification, 'notification', 'onReturnRequested');
  platform.started(
    await startNotificationConsumer(
      runtimes.notification,
      platform.recorded(
        'notification',
        notification.createHandlers({
          publisher: createNotificationPublisher(runtimes.notification),
          ...notificationDeps,
        }),
      ),
    ),
  );
}, 60_000);

afterAll(async () => {
  await platform?.[Symbol.asyncDispose]();
});

async function published<T>(
  topic: string,
  match: (event: EventEnvelope<T>) => boolean,
): Promise<EventEnvelope<T>[]> {
  return (await platform.redis.entries(topic))
    .map((entry) => decodeDeliveryBody(Buffer.from(entry.fields.data!)) as EventEnvelope<T>)
    .filter(match);
}

function returnOf(tag: string, orderId: string, customerId: string): ReturnsReturnRequested {
  return {
    return_id: `ret_${tag}`,
    order_id: orderId,
    customer_id: customerId,
    items: [
      { product_id: `prod_${tag}`, sku: `TSHIRT-${tag.toUpperCase()}-M`, quantity: 1, reason: 'size_issue' },
      {
        product_id: `prod_${tag}`,
        sku: `TSHIRT-${tag.toUpperCase()}-L`,
        quantity: 2,
        reason: 'changed_mind',
      },
    ],
    warehouse_id: 'WH-HCM-001',
    refund_amount: { amount: 750_000, currency: 'VND' },
    refund_method: 'original_payment',
    requested_at: '2026-02-05T09:00:00Z',
  };
}

describe('return: return -> warehouse -> return -> payment -> return, effects in PostgreSQL', () => {
  it('restocks every returned SKU once, refunds the captured payment once, completes the return once', async () => {
    const tag = uniqueTag();
    const orderId = `ORD-20260130-${Number.parseInt(tag.slice(0, 8), 16) % 100_000}`.padEnd(19, '0');
    const customerId = `cust_${tag}`;
    const paymentId = `pay_${tag}`;
    // The order's payment was captured (order -> payment) before the parcel went out.
    await orders.publishOrdersPaymentCaptureRequested({
      order_id: orderId,
      payment_id: paymentId,
      customer_id: customerId,
      amount: { amount: 1_000_000, currency: 'VND' },
      payment_method: 'card',
      requested_at: '2026-01-30T10:31:00Z',
    });
    await until(
      'payment captured',
      async () =>
        (await platform.rows('SELECT 1 FROM captures WHERE payment_id = $1', [paymentId])).length === 1,
    );

    const request = returnOf(tag, orderId, customerId);
    const requested = await returnApi.request(request);

    // Warehouse: both lines back on the shelf, each once, each announced as restocked from this return.
    const restocks = await eventually('two restocked lines', async () => {
      const rows = await platform.rows<{ sku: string; quantity: number; on_hand_after: number }>(
        'SELECT sku, quantity, on_hand_after FROM restocks WHERE return_id = $1 ORDER BY line',
        [request.return_id],
      );
      return rows.length === 2 ? rows : undefined;
    });
    expect(restocks).toEqual([
      { sku: request.items[0]!.sku, quantity: 1, on_hand_after: warehouse.STARTING_STOCK + 1 },
      { sku: request.items[1]!.sku, quantity: 2, on_hand_after: warehouse.STARTING_STOCK + 2 },
    ]);

    // Return: completed by the refund; payment: one refund of the captured payment, announced once.
    const completed = await eventually('return completed', async () => {
      const [row] = await platform.rows<{ status: string; refund_id: string }>(
        'SELECT status, refund_id FROM returns WHERE return_id = $1',
        [request.return_id],
      );
      return row?.status === 'completed' ? row : undefined;
    });
    const refunds = await platform.rows<{
      refund_id: string;
      document: { payment_id: string; partial: boolean };
      announced: boolean;
    }>('SELECT refund_id, document, announced FROM refunds WHERE return_id = $1', [request.return_id]);
    expect(refunds).toEqual([
      {
        refund_id: completed.refund_id,
        document: expect.objectContaining({ payment_id: paymentId, partial: true }),
        announced: true,
      },
    ]);
    expect(
      (
        await platform.rows('SELECT sku FROM returned_skus WHERE return_id = $1 ORDER BY sku', [
          request.return_id,
        ])
      ).length,
    ).toBe(2);

    // The announcements, each once, each a child of its cause.
    const restocked = await published<{ source: { reference_id: string } }>(
      'warehouse.inventory.restocked',
      (event) => event.data.source.reference_id === request.return_id,
    );
    expect(restocked.map((event) => event.metadata.causation_id)).toEqual([
      requested.event_id,
      requested.event_id,
    ]);
    const refunded = await published<{ return_id?: string }>(
      'payments.payment.refunded',
      (event) => event.data.return_id === request.return_id,
    );
    expect(refunded).toHaveLength(1);
    const done = await eventually('returns.return.completed', async () => {
      const found = await published<{ return_id: string }>(
        'returns.return.completed',
        (event) => event.data.return_id === request.return_id,
      );
      return found.length > 0 ? found : undefined;
    });
    expect(done).toHaveLength(1);
    expect(done[0]!.metadata.causation_id).toBe(refunded[0]!.event_id);
    expect(done[0]!.data).toMatchObject({
      refund_id: completed.refund_id,
      refunded_amount: request.refund_amount,
    });

    // Notification: the customer was mailed about the return, once.
    await until('return mail', async () => {
      const mails = await platform.rows(
        'SELECT 1 FROM sent_notifications WHERE customer_id = $1 AND template = $2',
        [customerId, 'return-requested'],
      );
      return mails.length === 1;
    });
  });

  it('a redelivered restock changes no stock and asks for no second refund', async () => {
    const tag = uniqueTag();
    const request = returnOf(tag, 'ORD-20260130-54321', `cust_${tag}`);
    await returnApi.request(request);
    await until('return completed', async () => {
      const [row] = await platform.rows<{ status: string }>(
        'SELECT status FROM returns WHERE return_id = $1',
        [request.return_id],
      );
      return row?.status === 'completed';
    });
    // The last restock entry appended again: what a warehouse publisher retrying after a lost reply produces.
    const entries = (await platform.redis.entries('warehouse.inventory.restocked')).filter(
      (entry) =>
        (
          decodeDeliveryBody(Buffer.from(entry.fields.data!)) as EventEnvelope<{
            source: { reference_id: string };
          }>
        ).data.source.reference_id === request.return_id,
    );
    const last = entries.at(-1)!;
    const duplicateId = (await platform.redis.raw.xadd(
      `${platform.redis.prefix}warehouse.inventory.restocked`,
      '*',
      ...Object.entries(last.fields).flat(),
    )) as string;
    await until('duplicate delivered and acknowledged', async () => {
      const group = await platform.redis.group('warehouse.inventory.restocked', 'return');
      return group !== undefined && group.lastDeliveredId === duplicateId && group.pending === 0;
    });
    const eventId = (decodeDeliveryBody(Buffer.from(last.fields.data!)) as EventEnvelope<unknown>).event_id;
    expect(platform.callsOf('onInventoryRestocked', (event) => event.event_id === eventId)).toHaveLength(1);
    expect(
      await platform.rows('SELECT 1 FROM refunds WHERE return_id = $1', [request.return_id]),
    ).toHaveLength(1);
    const refunded = await published<{ return_id?: string }>(
      'payments.payment.refunded',
      (event) => event.data.return_id === request.return_id,
    );
    expect(refunded).toHaveLength(1);
  });
});
