// Created by eventwire from asyncapi/notification.yaml, asyncapi/order.yaml, asyncapi/payment.yaml, asyncapi/return.yaml, asyncapi/review.yaml, asyncapi/shipping.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { NotificationHandlers } from './consumer.ts';

/**
 * Event handlers of the notification service. Start them with `startNotificationConsumer(runtime,
 * handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `NotificationHandlers` gains a key and this object stops compiling until you
 * add the handler.
 */
export const handlers: NotificationHandlers = {
  /**
   * Handles `orders.order.created` from topic `orders.order.created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-created`.
   */
  async onOrderCreated(_event, _context) {
    // TODO: Send the order confirmation and remember the order's contact details for later messages.
    // `_event.data` is the OrdersOrderCreated payload. `_context` has the attempt number, an abort signal
    // and `follow` (publish options that make an event you publish a child of this one). Return normally
    // to acknowledge; throw to retry.
    throw new Error('onOrderCreated is not implemented yet');
  },
  /**
   * Handles `orders.order.status_changed` from topic `orders.order.status_changed` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.order-status-changed`.
   */
  async onOrderStatusChanged(_event, _context) {
    // TODO: Tell the customer about status changes they care about (confirmed, shipped, delivered,
    // cancelled). `_event.data` is the OrdersOrderStatusChanged payload. `_context` has the attempt
    // number, an abort signal and `follow` (publish options that make an event you publish a child of this
    // one). Return normally to acknowledge; throw to retry.
    throw new Error('onOrderStatusChanged is not implemented yet');
  },
  /**
   * Handles `payments.payment.processed` from topic `payments.payment.processed` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.payment-processed`.
   */
  async onPaymentProcessed(_event, _context) {
    // TODO: Send the payment receipt, or ask the customer to update a failed payment. `_event.data` is the
    // PaymentsPaymentProcessed payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onPaymentProcessed is not implemented yet');
  },
  /**
   * Handles `returns.return.requested` from topic `returns.return.requested` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.return-requested`.
   */
  async onReturnRequested(_event, _context) {
    // TODO: Acknowledge a return request with the drop-off or pickup instructions. `_event.data` is the
    // ReturnsReturnRequested payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onReturnRequested is not implemented yet');
  },
  /**
   * Handles `reviews.review.created` from topic `reviews.review.created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.review-created`.
   */
  async onReviewCreated(_event, _context) {
    // TODO: Thank the customer for a review. `_event.data` is the ReviewsReviewCreated payload. `_context`
    // has the attempt number, an abort signal and `follow` (publish options that make an event you publish
    // a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onReviewCreated is not implemented yet');
  },
  /**
   * Handles `shipping.shipment.created` from topic `shipping.shipment.created` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.shipment-created`.
   */
  async onShipmentCreated(_event, _context) {
    // TODO: Send the tracking link of a booked shipment. `_event.data` is the ShippingShipmentCreated
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onShipmentCreated is not implemented yet');
  }
};
