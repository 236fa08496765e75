// Created by eventwire from asyncapi/checkout.yaml, asyncapi/order.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { OrderHandlers } from './consumer.ts';

/**
 * Event handlers of the order service. Start them with `startOrderConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `OrderHandlers` gains a key and this object stops compiling until you add the
 * handler.
 */
export const handlers: OrderHandlers = {
  /**
   * Handles `checkout.cart.checked_out` from topic `checkout.cart.checked_out` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.cart-checked-out`.
   */
  async onCartCheckedOut(_event, _context) {
    // TODO: Place the order for a checked-out cart and publish `orders.order.created`. `_event.data` is
    // the CheckoutCartCheckedOut payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onCartCheckedOut is not implemented yet');
  },
  /**
   * Handles `checkout.checkout.started` from topic `checkout.checkout.started` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.checkout-started`.
   */
  async onCheckoutStarted(_event, _context) {
    // TODO: Open a draft order, reserving its order number, for a checkout that has just begun.
    // `_event.data` is the CheckoutCheckoutStarted payload. `_context` has the attempt number, an abort
    // signal and `follow` (publish options that make an event you publish a child of this one). Return
    // normally to acknowledge; throw to retry.
    throw new Error('onCheckoutStarted is not implemented yet');
  }
};
