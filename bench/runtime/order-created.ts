/**
 * The event every runtime benchmark publishes and consumes: `orders.order.created` of the order contract
 * (asyncapi/order.yaml), typed and validated by the code eventwire generates for it (`generated/order`): the
 * generated publisher, its precompiled ajv validator and the same payload type for every benchmark. A payload
 * of about 750 bytes of JSON (optional fields left out), shaped like the contract's `two-tshirts` example, with ids and amounts varying
 * per index. If the contract changes so these payloads no longer validate, order-created.test.ts says so.
 */
import { type OrdersOrderCreated, validateOrdersOrderCreated } from '../../generated/order/index.ts';
import type { CompiledValidator, PublicationSpec, SubscriptionSpec } from '../../runtime/spec.ts';

export type OrderCreated = OrdersOrderCreated;

/** The order service's generated validator for this event. */
export const validateOrderCreated: CompiledValidator<OrderCreated> = validateOrdersOrderCreated;

const vnd = (amount: number) => ({ amount, currency: 'VND' });

/** A distinct, valid order per index (ids and amounts vary, so no two bodies are the same). */
export function orderCreated(index: number): OrderCreated {
  const serial = String(10_000 + index);
  const quantity = 1 + (index % 3);
  const subtotal = 450_000 * quantity;
  const suffix = (60_466_176 + index).toString(36); // 36^5: always 6 or more base-36 digits
  return {
    order_id: `ORD-20260130-${serial}`,
    status: 'pending',
    customer_id: `cust_${(789_012_345 + index).toString(36)}`,
    customer_email: `linh.nguyen${index % 1000}@example.com`,
    locale: 'vi',
    checkout_id: `chk_${suffix}`,
    cart_id: `cart_${suffix}`,
    items: [
      {
        product_id: 'prod_456',
        sku: 'TSHIRT-BLK-M',
        quantity,
        unit_price: vnd(450_000),
      },
    ],
    totals: {
      subtotal: vnd(subtotal),
      discount_total: vnd(0),
      shipping_fee: vnd(30_000),
      tax_total: vnd(0),
      grand_total: vnd(subtotal + 30_000),
    },
    coupon_codes: [],
    shipping_method: 'express',
    payment_method: 'card',
    shipping_address: {
      line1: '12 Nguyen Hue',
      city: 'Ho Chi Minh City',
      country_code: 'VN',
    },
    sales_channel: 'web',
    placed_at: '2026-01-30T10:31:11Z',
  };
}

export function orders(count: number, offset = 0): OrderCreated[] {
  return Array.from({ length: count }, (_, index) => orderCreated(offset + index));
}

export const ORDER_CREATED = 'orders.order.created';

/** The order service's publication, on a Redis/Dapr topic (or an AMQP exchange, for the RabbitMQ benchmark). */
export function orderCreatedPublication(destination: PublicationSpec['destination']): PublicationSpec {
  return {
    operation: 'publishOrdersOrderCreated',
    service: 'order',
    eventType: ORDER_CREATED,
    version: '1.0',
    destination,
    parameters: [],
  };
}

/** A subscriber of the same events with Redis idempotency by event id (the contract default). */
export function orderCreatedSubscription(topic: string, name: string, concurrency: number): SubscriptionSpec {
  return {
    operation: 'onOrdersOrderCreated',
    service: 'notification',
    name,
    route: `/events/${name}`,
    source: { kind: 'topic', pubsub: 'pubsub', topic },
    eventTypes: [ORDER_CREATED],
    retry: {
      maxRetries: 3,
      backoff: 'exponential',
      initialIntervalMs: 1000,
      maxIntervalMs: 4000,
      multiplier: 2,
      delaysMs: [],
    },
    deadLetter: { address: `dlq.${name}` },
    idempotency: { key: '$message.header#/event_id', ttlMs: 24 * 3600_000, store: 'redis' },
    handlerTimeoutMs: 5000,
    concurrency,
  };
}
