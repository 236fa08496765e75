/**
 * The payload every runtime benchmark publishes and consumes: an `orders.order.created` event shaped like the
 * order contract (asyncapi/order.yaml, OrderCreatedPayload: ids, a line item, totals, address), trimmed to
 * about 500 bytes of JSON (optional and secondary fields left out), checked
 * by an ajv-compiled validator with the options and formats the generator compiles validators with.
 * The schema is a copy rather than read from the contract so the benchmark does not change when the contract does.
 */
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { CompiledValidator, PublicationSpec, SubscriptionSpec } from '../../runtime/spec.ts';

const id = (prefix: string) => ({ type: 'string', pattern: `^${prefix}_[0-9a-z]{6,32}$` });
const money = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'currency'],
  properties: {
    amount: { type: 'integer', minimum: 0 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  },
};

export const orderCreatedSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'order_id',
    'status',
    'customer_id',
    'customer_email',
    'items',
    'totals',
    'shipping_method',
    'payment_method',
    'shipping_address',
    'placed_at',
  ],
  properties: {
    order_id: { type: 'string', pattern: '^ORD-[0-9]{8}-[0-9]{5,}$' },
    status: { const: 'pending' },
    customer_id: id('cust'),
    customer_email: { type: 'string', format: 'email', maxLength: 254 },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['product_id', 'sku', 'quantity', 'unit_price'],
        properties: {
          product_id: { type: 'string', pattern: '^prod_[0-9a-z]{3,32}$' },
          sku: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{2,63}$' },
          name: { type: 'string', maxLength: 300 },
          quantity: { type: 'integer', minimum: 1, maximum: 100_000 },
          unit_price: money,
        },
      },
    },
    totals: {
      type: 'object',
      additionalProperties: false,
      required: ['shipping_fee', 'grand_total'],
      properties: { subtotal: money, discount_total: money, shipping_fee: money, grand_total: money },
    },
    coupon_codes: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{3,31}$' },
    },
    shipping_method: { enum: ['standard', 'express', 'same_day'] },
    payment_method: { enum: ['card', 'cod', 'bank_transfer', 'e_wallet'] },
    shipping_address: {
      type: 'object',
      additionalProperties: false,
      required: ['line1', 'city', 'country_code'],
      properties: {
        recipient_name: { type: 'string', minLength: 1, maxLength: 200 },
        phone: { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' },
        line1: { type: 'string', minLength: 1, maxLength: 200 },
        city: { type: 'string', minLength: 1, maxLength: 100 },
        country_code: { type: 'string', pattern: '^[A-Z]{2}$' },
      },
    },
    sales_channel: { enum: ['web', 'ios', 'android'] },
    placed_at: { type: 'string', format: 'date-time' },
  },
} as const;

interface Money {
  readonly amount: number;
  readonly currency: string;
}

export interface OrderCreated {
  readonly order_id: string;
  readonly status: 'pending';
  readonly customer_id: string;
  readonly customer_email: string;
  readonly items: readonly {
    readonly product_id: string;
    readonly sku: string;
    readonly name?: string;
    readonly quantity: number;
    readonly unit_price: Money;
  }[];
  readonly totals: {
    readonly subtotal?: Money;
    readonly discount_total?: Money;
    readonly shipping_fee: Money;
    readonly grand_total: Money;
  };
  readonly coupon_codes?: readonly string[];
  readonly shipping_method: 'standard' | 'express' | 'same_day';
  readonly payment_method: 'card' | 'cod' | 'bank_transfer' | 'e_wallet';
  readonly shipping_address: Readonly<Record<string, string>>;
  readonly sales_channel?: 'web' | 'ios' | 'android';
  readonly placed_at: string;
}

type AjvPlugin = (ajv: Ajv) => Ajv;
// ajv-formats is CommonJS: under NodeNext its function is `.default` at run time.
const addFormats = ((addFormatsPlugin as unknown as { default?: AjvPlugin }).default ??
  (addFormatsPlugin as unknown as AjvPlugin)) as AjvPlugin;

function compileValidator(): CompiledValidator<OrderCreated> {
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  addFormats(ajv);
  return ajv.compile<OrderCreated>(orderCreatedSchema) as CompiledValidator<OrderCreated>;
}

export const validateOrderCreated = compileValidator();

const vnd = (amount: number): Money => ({ amount, currency: 'VND' });

/** A distinct, valid order per index (ids and amounts vary, so no two bodies are the same). */
export function orderCreated(index: number): OrderCreated {
  const serial = String(10_000 + index);
  const quantity = 1 + (index % 3);
  const subtotal = 450_000 * quantity;
  return {
    order_id: `ORD-20260130-${serial}`,
    status: 'pending',
    customer_id: `cust_${(789_012_345 + index).toString(36)}`,
    customer_email: `linh.nguyen${index % 1000}@example.com`,
    items: [{ product_id: 'prod_456', sku: 'TSHIRT-BLK-M', quantity, unit_price: vnd(450_000) }],
    totals: { shipping_fee: vnd(30_000), grand_total: vnd(subtotal + 30_000) },
    shipping_method: 'express',
    payment_method: 'card',
    shipping_address: { line1: '12 Nguyen Hue', city: 'Ho Chi Minh City', country_code: 'VN' },
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
