// Created by eventwire from asyncapi/order.yaml, asyncapi/payment.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { PaymentHandlers } from './consumer.ts';

/**
 * Event handlers of the payment service. Start them with `startPaymentConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `PaymentHandlers` gains a key and this object stops compiling until you add the
 * handler.
 */
export const handlers: PaymentHandlers = {
  /**
   * Handles `orders.payment.capture_requested` from topic `orders.payment.capture_requested` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to
   * `dlq.payment-capture-requested`.
   */
  async onPaymentCaptureRequested(_event, _context) {
    // TODO: Capture the authorized payment of an order with its provider. `_event.data` is the
    // OrdersPaymentCaptureRequested payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onPaymentCaptureRequested is not implemented yet');
  }
};
