// Created by eventwire from asyncapi/catalog.yaml, asyncapi/checkout.yaml, asyncapi/location.yaml, asyncapi/order.yaml, asyncapi/promotion.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { CheckoutHandlers } from './consumer.ts';

/**
 * Event handlers of the checkout service. Start them with `startCheckoutConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `CheckoutHandlers` gains a key and this object stops compiling until you add
 * the handler.
 */
export const handlers: CheckoutHandlers = {
  /**
   * Handles `location.address.validated` from topic `location.address.validated` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.address-validated`.
   */
  async onAddressValidated(_event, _context) {
    // TODO: Cache the delivery zone of a customer's saved address so shipping options are quoted
    // instantly. `_event.data` is the LocationAddressValidated payload. `_context` has the attempt number,
    // an abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onAddressValidated is not implemented yet');
  },
  /**
   * Handles `orders.order.created` from topic `orders.order.created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.order-created`.
   */
  async onOrderCreated(_event, _context) {
    // TODO: Close the checkout session and empty the cart the order came from. `_event.data` is the
    // OrdersOrderCreated payload. `_context` has the attempt number, an abort signal and `follow` (publish
    // options that make an event you publish a child of this one). Return normally to acknowledge; throw
    // to retry.
    throw new Error('onOrderCreated is not implemented yet');
  },
  /**
   * Handles `catalog.price.changed` from topic `catalog.price.changed` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.price-changed`.
   */
  async onPriceChanged(_event, _context) {
    // TODO: Reprice the open carts that hold the SKU and flag the change to their owners. `_event.data` is
    // the CatalogPriceChanged payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onPriceChanged is not implemented yet');
  },
  /**
   * Handles `promotions.promotion.expired` from topic `promotions.promotion.expired` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.promotion-expired`.
   */
  async onPromotionExpired(_event, _context) {
    // TODO: Remove the expired promotion's coupon codes from open carts. `_event.data` is the
    // PromotionsPromotionExpired payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onPromotionExpired is not implemented yet');
  }
};
