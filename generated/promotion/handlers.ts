// Created by eventwire from asyncapi/order.yaml, asyncapi/promotion.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { PromotionHandlers } from './consumer.ts';

/**
 * Event handlers of the promotion service. Start them with `startPromotionConsumer(runtime,
 * handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `PromotionHandlers` gains a key and this object stops compiling until you add
 * the handler.
 */
export const handlers: PromotionHandlers = {
  /**
   * Handles `orders.order.created` from topic `orders.order.created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-created`.
   */
  async onOrderCreated(_event, _context) {
    // TODO: Count a redemption for every coupon code on the order. `_event.data` is the OrdersOrderCreated
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onOrderCreated is not implemented yet');
  },
  /**
   * Handles `orders.order.status_changed` from topic `orders.order.status_changed` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.order-status-changed`.
   */
  async onOrderStatusChanged(_event, _context) {
    // TODO: Give back the coupon redemptions of an order that was cancelled before shipping. `_event.data`
    // is the OrdersOrderStatusChanged payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onOrderStatusChanged is not implemented yet');
  }
};
