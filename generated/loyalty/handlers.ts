// Created by eventwire from asyncapi/customer.yaml, asyncapi/loyalty.yaml, asyncapi/order.yaml, asyncapi/return.yaml, asyncapi/review.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { LoyaltyHandlers } from './consumer.ts';

/**
 * Event handlers of the loyalty service. Start them with `startLoyaltyConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `LoyaltyHandlers` gains a key and this object stops compiling until you add the
 * handler.
 */
export const handlers: LoyaltyHandlers = {
  /**
   * Handles `customer.customer.registered` from topic `customer.customer.registered` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.customer-registered`.
   */
  async onCustomerRegistered(_event, _context) {
    // TODO: Enrol a new member at the entry tier. `_event.data` is the CustomerCustomerRegistered payload.
    // `_context` has the attempt number, an abort signal and `follow` (publish options that make an event
    // you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onCustomerRegistered is not implemented yet');
  },
  /**
   * Handles `customer.customer.verified` from topic `customer.customer.verified` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.customer-verified`.
   */
  async onCustomerVerified(_event, _context) {
    // TODO: Award the one-time verification bonus. `_event.data` is the CustomerCustomerVerified payload.
    // `_context` has the attempt number, an abort signal and `follow` (publish options that make an event
    // you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onCustomerVerified is not implemented yet');
  },
  /**
   * Handles `orders.order.delivered` from topic `orders.order.delivered` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-delivered`.
   */
  async onOrderDelivered(_event, _context) {
    // TODO: Award points for a delivered order of a member. `_event.data` is the OrdersOrderDelivered
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onOrderDelivered is not implemented yet');
  },
  /**
   * Handles `returns.return.completed` from topic `returns.return.completed` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.return-completed`.
   */
  async onReturnCompleted(_event, _context) {
    // TODO: Take back the points earned on the returned items. `_event.data` is the ReturnsReturnCompleted
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onReturnCompleted is not implemented yet');
  },
  /**
   * Handles `reviews.review.moderated` from topic `reviews.review.moderated` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.review-moderated`.
   */
  async onReviewModerated(_event, _context) {
    // TODO: Award review points for an approved review of a verified purchase. `_event.data` is the
    // ReviewsReviewModerated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onReviewModerated is not implemented yet');
  }
};
