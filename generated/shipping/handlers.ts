// Created by eventwire from asyncapi/fulfillment.yaml, asyncapi/shipping.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { ShippingHandlers } from './consumer.ts';

/**
 * Event handlers of the shipping service. Start them with `startShippingConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `ShippingHandlers` gains a key and this object stops compiling until you add
 * the handler.
 */
export const handlers: ShippingHandlers = {
  /**
   * Handles `fulfillments.fulfillment.status_changed` from topic
   * `fulfillments.fulfillment.status_changed` (pub/sub `pubsub`). Throwing retries the event (up to 3
   * retries), then it goes to `dlq.fulfillment-status-changed`.
   */
  async onFulfillmentStatusChanged(_event, _context) {
    // TODO: Book a carrier for fulfillments that are ready to ship; cancel bookings of cancelled ones.
    // `_event.data` is the FulfillmentsFulfillmentStatusChanged payload. `_context` has the attempt
    // number, an abort signal and `follow` (publish options that make an event you publish a child of this
    // one). Return normally to acknowledge; throw to retry.
    throw new Error('onFulfillmentStatusChanged is not implemented yet');
  }
};
