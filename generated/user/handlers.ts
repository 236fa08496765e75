// Created by eventwire from asyncapi/auth.yaml, asyncapi/user.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { UserHandlers } from './consumer.ts';

/**
 * Event handlers of the user service. Start them with `startUserConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `UserHandlers` gains a key and this object stops compiling until you add the
 * handler.
 */
export const handlers: UserHandlers = {
  /**
   * Handles `auth.session.started` from topic `auth.session.started` (pub/sub `pubsub`). Throwing
   * retries the event (up to 3 retries), then it goes to `dlq.session-started`.
   */
  async onSessionStarted(_event, _context) {
    // TODO: Record the account's last sign-in time and method. `_event.data` is the AuthSessionStarted
    // payload. `_context` has the attempt number, an abort signal and `follow` (publish options that make
    // an event you publish a child of this one). Return normally to acknowledge; throw to retry.
    throw new Error('onSessionStarted is not implemented yet');
  }
};
