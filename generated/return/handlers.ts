// Created by eventwire from asyncapi/order.yaml, asyncapi/payment.yaml, asyncapi/return.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { ReturnHandlers } from './consumer.ts';

/**
 * Event handlers of the return service. Start them with `startReturnConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `ReturnHandlers` gains a key and this object stops compiling until you add the
 * handler.
 */
export const handlers: ReturnHandlers = {
  /**
   * Handles `warehouse.inventory.restocked` from topic `warehouse.inventory.restocked` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to `dlq.inventory-restocked`.
   */
  async onInventoryRestocked(_event, _context) {
    // TODO: Tick off restocked return items; request the refund once all items of the return are back.
    // `_event.data` is the WarehouseInventoryRestocked payload. `_context` has the attempt number, an
    // abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onInventoryRestocked is not implemented yet');
  },
  /**
   * Handles `orders.order.delivered` from topic `orders.order.delivered` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-delivered`.
   */
  async onOrderDelivered(_event, _context) {
    // TODO: Open the return window of a delivered order for the delivered SKUs. `_event.data` is the
    // OrdersOrderDelivered payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onOrderDelivered is not implemented yet');
  },
  /**
   * Handles `payments.payment.refunded` from topic `payments.payment.refunded` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.payment-refunded`.
   */
  async onPaymentRefunded(_event, _context) {
    // TODO: Close the return a refund belongs to and publish `returns.return.completed`. `_event.data` is
    // the PaymentsPaymentRefunded payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onPaymentRefunded is not implemented yet');
  }
};
