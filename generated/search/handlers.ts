// Created by eventwire from asyncapi/catalog.yaml, asyncapi/search.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { SearchHandlers } from './consumer.ts';

/**
 * Event handlers of the search service. Start them with `startSearchConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `SearchHandlers` gains a key and this object stops compiling until you add the
 * handler.
 */
export const handlers: SearchHandlers = {
  /**
   * Handles `catalog.product.created` from topic `catalog.product.created` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.product-created`.
   */
  async onProductCreated(_event, _context) {
    // TODO: Index a new product (skipped while it is a draft). `_event.data` is the CatalogProductCreated
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onProductCreated is not implemented yet');
  },
  /**
   * Handles `catalog.product.deleted` from topic `catalog.product.deleted` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.product-deleted`.
   */
  async onProductDeleted(_event, _context) {
    // TODO: Remove a deleted product and its SKUs from the index. `_event.data` is the
    // CatalogProductDeleted payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onProductDeleted is not implemented yet');
  },
  /**
   * Handles `catalog.product.updated` from topic `catalog.product.updated` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.product-updated`.
   */
  async onProductUpdated(_event, _context) {
    // TODO: Re-index a changed product; remove it from results when it is no longer active. `_event.data`
    // is the CatalogProductUpdated payload. `_context` has the attempt number, an abort signal and
    // `follow` (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onProductUpdated is not implemented yet');
  }
};
