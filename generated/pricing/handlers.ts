// Created by eventwire from asyncapi/pricing.yaml, asyncapi/promotion.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { PricingHandlers } from './consumer.ts';

/**
 * Event handlers of the pricing service. Start them with `startPricingConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `PricingHandlers` gains a key and this object stops compiling until you add the
 * handler.
 */
export const handlers: PricingHandlers = {
  /**
   * Handles `pricing.price.recalculation_requested` from topic `pricing.price.recalculation_requested`
   * (pub/sub `pubsub`). Throwing retries the event (up to 3 retries), then it goes to
   * `dlq.price-recalculation-requested`.
   */
  async onPriceRecalculationRequested(_event, _context) {
    // TODO: Recompute the prices in the requested scope and publish the ones that changed. `_event.data`
    // is the PricingPriceRecalculationRequested payload. `_context` has the attempt number, an abort
    // signal and `follow` (publish options that make an event you publish a child of this one). Return
    // normally to acknowledge; throw to retry.
    throw new Error('onPriceRecalculationRequested is not implemented yet');
  },
  /**
   * Handles `promotions.promotion.created` from topic `promotions.promotion.created` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.promotion-created`.
   */
  async onPromotionCreated(_event, _context) {
    // TODO: Create the discount rule of a new promotion (upsert by promotion id). `_event.data` is the
    // PromotionsPromotionCreated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onPromotionCreated is not implemented yet');
  },
  /**
   * Handles `promotions.promotion.expired` from topic `promotions.promotion.expired` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.promotion-expired`.
   */
  async onPromotionExpired(_event, _context) {
    // TODO: Retire the discount rule of an ended promotion and restore the regular prices. `_event.data`
    // is the PromotionsPromotionExpired payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onPromotionExpired is not implemented yet');
  },
  /**
   * Handles `promotions.promotion.updated` from topic `promotions.promotion.updated` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.promotion-updated`.
   */
  async onPromotionUpdated(_event, _context) {
    // TODO: Update the discount rule of a promotion and reprice the SKUs it covers. `_event.data` is the
    // PromotionsPromotionUpdated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onPromotionUpdated is not implemented yet');
  },
  /**
   * Handles `warehouse.inventory.stock_changed` from topic `warehouse.inventory.stock_changed` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to
   * `dlq.warehouse-stock-changed`.
   */
  async onWarehouseStockChanged(_event, _context) {
    // TODO: Re-run the dynamic pricing rules of the SKU for its new stock level. `_event.data` is the
    // WarehouseInventoryStockChanged payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onWarehouseStockChanged is not implemented yet');
  }
};
