// Created by eventwire from asyncapi/checkout.yaml, asyncapi/order.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type pg from 'pg';
import type { OrderHandlers } from './consumer.ts';
import type { OrderPublisher } from './publisher.ts';
import type { CheckoutCartCheckedOut, OrdersOrderCreated } from './types.ts';

/** Where the order service keeps orders and the order numbers reserved for checkouts in progress. */
export interface OrderBook {
  /** Stores the order; false when an order with this id exists already. */
  place(order: OrdersOrderCreated): Promise<boolean>;
  reserveNumber(checkoutId: string, orderId: string): Promise<void>;
}

/** What the order service's handlers act on. */
export interface OrderHandlerDeps {
  /** Publishes the order service's events: `createOrderPublisher(runtime)`. */
  readonly publisher: OrderPublisher;
  readonly orders: OrderBook;
}

/**
 * The order number of a cart: `ORD-<yyyymmdd of checkout>-<serial>`, the serial derived from the cart id, so a
 * redelivered cart event places the same order (and its follow-ups carry the same order id).
 */
export function orderIdOf(cartId: string, checkedOutAt: string): string {
  const serial = [...cartId.slice('cart_'.length)].map((char) => char.charCodeAt(0) % 10).join('');
  return `ORD-${checkedOutAt.slice(0, 10).replaceAll('-', '')}-${serial.padEnd(5, '0')}`;
}

function orderOf(cart: CheckoutCartCheckedOut): OrdersOrderCreated {
  const { payment, checked_out_at, ...rest } = cart;
  return {
    ...rest,
    order_id: orderIdOf(cart.cart_id, checked_out_at),
    status: 'pending',
    payment_method: payment.method,
    placed_at: checked_out_at,
  };
}

/**
 * Event handlers of the order service. Start them with `startOrderConsumer(runtime, createHandlers({ publisher:
 * createOrderPublisher(runtime), orders }))`; `eventwire test` runs the same factory under injected faults.
 */
export function createHandlers(deps: OrderHandlerDeps): OrderHandlers {
  return {
    /** Places the order for a checked-out cart, then announces it (created, then its first status, pending). */
    async onCartCheckedOut(event, context) {
      const order = orderOf(event.data);
      await deps.orders.place(order);
      const created = await deps.publisher.publishOrdersOrderCreated(order, context.follow);
      await deps.publisher.publishOrdersOrderStatusChanged(
        {
          order_id: order.order_id,
          sequence: 1,
          customer_id: order.customer_id,
          new_status: 'pending',
          changed_at: created.data.placed_at,
        },
        context.follow,
      );
    },
    /** Reserves the order number of a checkout that has just begun. */
    async onCheckoutStarted(event) {
      await deps.orders.reserveNumber(event.data.checkout_id, orderIdOf(event.data.cart_id, event.data.started_at));
    },
  };
}

/** An order book in memory: the service's tests and `eventwire test --brokers memory`. */
export class MemoryOrderBook implements OrderBook {
  readonly orders = new Map<string, OrdersOrderCreated>();
  readonly numbers = new Map<string, string>();

  async place(order: OrdersOrderCreated): Promise<boolean> {
    if (this.orders.has(order.order_id)) return false;
    this.orders.set(order.order_id, order);
    return true;
  }

  async reserveNumber(checkoutId: string, orderId: string): Promise<void> {
    this.numbers.set(checkoutId, orderId);
  }
}

/** The order service's tables (run once per database: a migration in production, per run under the harness). */
export const ORDER_TABLES = `
CREATE TABLE IF NOT EXISTS orders (order_id text PRIMARY KEY, customer_id text NOT NULL, document jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS order_numbers (checkout_id text PRIMARY KEY, order_id text NOT NULL);
`;

/** The order book in PostgreSQL: an order is inserted once (its id derives from the cart), later tries no-ops. */
export class PgOrderBook implements OrderBook {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async place(order: OrdersOrderCreated): Promise<boolean> {
    const inserted = await this.#pool.query(
      'INSERT INTO orders (order_id, customer_id, document) VALUES ($1, $2, $3) ON CONFLICT (order_id) DO NOTHING',
      [order.order_id, order.customer_id, order],
    );
    return inserted.rowCount === 1;
  }

  async reserveNumber(checkoutId: string, orderId: string): Promise<void> {
    await this.#pool.query(
      `INSERT INTO order_numbers (checkout_id, order_id) VALUES ($1, $2)
       ON CONFLICT (checkout_id) DO UPDATE SET order_id = EXCLUDED.order_id`,
      [checkoutId, orderId],
    );
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/**
 * What `eventwire test` hands `createHandlers` besides the publisher: the order book in the run's PostgreSQL
 * schema on real brokers (closed with the run), a fresh one in memory otherwise. The harness is imported here,
 * lazily, so the service's production main never loads it.
 */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<OrderHandlerDeps, 'orders'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { orders: new MemoryOrderBook() };
  await database.ensureTables(ORDER_TABLES);
  return { orders: new PgOrderBook(database.pool), [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]() };
}
