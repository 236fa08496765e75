// Created by eventwire from asyncapi/customer.yaml, asyncapi/location.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { LocationHandlers } from './consumer.ts';

/**
 * Event handlers of the location service. Start them with `startLocationConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `LocationHandlers` gains a key and this object stops compiling until you add
 * the handler.
 */
export const handlers: LocationHandlers = {
  /**
   * Handles `customer.profile.updated` from topic `customer.profile.updated` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.profile-updated`.
   */
  async onProfileUpdated(_event, _context) {
    // TODO: Validate and geocode the addresses of a changed address book; other profile changes are
    // ignored. `_event.data` is the CustomerProfileUpdated payload. `_context` has the attempt number, an
    // abort signal and `follow` (publish options that make an event you publish a child of this one).
    // Return normally to acknowledge; throw to retry.
    throw new Error('onProfileUpdated is not implemented yet');
  }
};
