// Created by eventwire from asyncapi/catalog.yaml, asyncapi/pricing.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { CatalogHandlers } from './consumer.ts';

/**
 * Event handlers of the catalog service. Start them with `startCatalogConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `CatalogHandlers` gains a key and this object stops compiling until you add the
 * handler.
 */
export const handlers: CatalogHandlers = {
  /**
   * Handles `pricing.price.updated` from topic `pricing.price.updated` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.price-updated`.
   */
  async onPriceUpdated(_event, _context) {
    // TODO: Apply a new price record to the product's displayed price. `_event.data` is the
    // PricingPriceUpdated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onPriceUpdated is not implemented yet');
  },
  /**
   * Handles `warehouse.inventory.stock_changed` from topic `warehouse.inventory.stock_changed` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to
   * `dlq.warehouse-stock-changed`.
   */
  async onWarehouseStockChanged(_event, _context) {
    // TODO: Recompute a product's availability flag from the new stock level. `_event.data` is the
    // WarehouseInventoryStockChanged payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onWarehouseStockChanged is not implemented yet');
  }
};
