// Created by eventwire from asyncapi/fulfillment.yaml, asyncapi/order.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { FulfillmentHandlers } from './consumer.ts';

/**
 * Event handlers of the fulfillment service. Start them with `startFulfillmentConsumer(runtime,
 * handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `FulfillmentHandlers` gains a key and this object stops compiling until you add
 * the handler.
 */
export const handlers: FulfillmentHandlers = {
  /**
   * Handles `warehouse.inventory.reserved` from topic `warehouse.inventory.reserved` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.inventory-reserved`.
   */
  async onInventoryReserved(_event, _context) {
    // TODO: Create the fulfillment of one warehouse's share of an order. `_event.data` is the
    // WarehouseInventoryReserved payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onInventoryReserved is not implemented yet');
  },
  /**
   * Handles `orders.order.created` from topic `orders.order.created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-created`.
   */
  async onOrderCreated(_event, _context) {
    // TODO: Record the order's delivery details and lines, waiting for its stock reservations.
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
    // TODO: Release the order's fulfillments once it is paid; cancel them when the order is cancelled.
    // `_event.data` is the OrdersOrderStatusChanged payload. `_context` has the attempt number, an abort
    // signal and `follow` (publish options that make an event you publish a child of this one). Return
    // normally to acknowledge; throw to retry.
    throw new Error('onOrderStatusChanged is not implemented yet');
  }
};
