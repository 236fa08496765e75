// Created by eventwire from asyncapi/order.yaml, asyncapi/return.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { WarehouseHandlers } from './consumer.ts';

/**
 * Event handlers of the warehouse service. Start them with `startWarehouseConsumer(runtime,
 * handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `WarehouseHandlers` gains a key and this object stops compiling until you add
 * the handler.
 */
export const handlers: WarehouseHandlers = {
  /**
   * Handles `orders.order.created` from topic `orders.order.created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-created`.
   */
  async onOrderCreated(_event, _context) {
    // TODO: Reserve stock for the order's lines, splitting across warehouses when one cannot serve them
    // all. `_event.data` is the OrdersOrderCreated payload. `_context` has the attempt number, an abort
    // signal and `follow` (publish options that make an event you publish a child of this one). Return
    // normally to acknowledge; throw to retry.
    throw new Error('onOrderCreated is not implemented yet');
  },
  /**
   * Handles `returns.return.requested` from topic `returns.return.requested` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.return-requested`.
   */
  async onReturnRequested(_event, _context) {
    // TODO: Register the expected inbound items of a return at the receiving warehouse. `_event.data` is
    // the ReturnsReturnRequested payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onReturnRequested is not implemented yet');
  }
};
