// Created by eventwire from asyncapi/checkout.yaml, asyncapi/order.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
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

/** What `eventwire test` hands `createHandlers` besides the publisher: a fresh order book per suite. */
export async function createHarnessDeps(_context: HarnessDepsContext): Promise<Pick<OrderHandlerDeps, 'orders'>> {
  return { orders: new MemoryOrderBook() };
}
