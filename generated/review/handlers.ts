// Created by eventwire from asyncapi/order.yaml, asyncapi/review.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { ReviewHandlers } from './consumer.ts';

/**
 * Event handlers of the review service. Start them with `startReviewConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `ReviewHandlers` gains a key and this object stops compiling until you add the
 * handler.
 */
export const handlers: ReviewHandlers = {
  /**
   * Handles `orders.order.delivered` from topic `orders.order.delivered` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-delivered`.
   */
  async onOrderDelivered(_event, _context) {
    // TODO: Record the delivered SKUs of an order so their reviews count as verified purchases.
    // `_event.data` is the OrdersOrderDelivered payload. `_context` has the attempt number, an abort
    // signal and `follow` (publish options that make an event you publish a child of this one). Return
    // normally to acknowledge; throw to retry.
    throw new Error('onOrderDelivered is not implemented yet');
  },
  /**
   * Handles `reviews.review.created` from topic `reviews.review.created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.review-created`.
   */
  async onReviewCreated(_event, _context) {
    // TODO: Moderate a new review and, when approved, fold it into the product's rating. `_event.data` is
    // the ReviewsReviewCreated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onReviewCreated is not implemented yet');
  }
};
