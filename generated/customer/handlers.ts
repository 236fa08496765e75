// Created by eventwire from asyncapi/customer.yaml, asyncapi/user.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { CustomerHandlers } from './consumer.ts';

/**
 * Event handlers of the customer service. Start them with `startCustomerConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `CustomerHandlers` gains a key and this object stops compiling until you add
 * the handler.
 */
export const handlers: CustomerHandlers = {
  /**
   * Handles `customer.customer.created` from topic `customer.customer.created` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.customer-created`.
   */
  async onCustomerCreated(_event, _context) {
    // TODO: Finish setting up a new customer (default preferences, earlier guest orders). `_event.data` is
    // the CustomerCustomerCreated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onCustomerCreated is not implemented yet');
  },
  /**
   * Handles `user.account.registered` from topic `user.account.registered` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.user-registered`.
   */
  async onUserRegistered(_event, _context) {
    // TODO: Create the customer of a new account, or convert the guest customer with the same e-mail.
    // `_event.data` is the UserAccountRegistered payload. `_context` has the attempt number, an abort
    // signal and `follow` (publish options that make an event you publish a child of this one). Return
    // normally to acknowledge; throw to retry.
    throw new Error('onUserRegistered is not implemented yet');
  }
};
