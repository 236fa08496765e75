// Created by eventwire from asyncapi/auth.yaml, asyncapi/user.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { AuthHandlers } from './consumer.ts';

/**
 * Event handlers of the auth service. Start them with `startAuthConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `AuthHandlers` gains a key and this object stops compiling until you add the
 * handler.
 */
export const handlers: AuthHandlers = {
  /**
   * Handles `user.account.deactivated` from topic `user.account.deactivated` (pub/sub `pubsub`).
   * Throwing retries the event (up to 3 retries), then it goes to `dlq.account-deactivated`.
   */
  async onAccountDeactivated(_event, _context) {
    // TODO: End every session and revoke every refresh token of the account. `_event.data` is the
    // UserAccountDeactivated payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onAccountDeactivated is not implemented yet');
  },
  /**
   * Handles `user.account.password_changed` from topic `user.account.password_changed` (pub/sub
   * `pubsub`). Throwing retries the event (up to 3 retries), then it goes to
   * `dlq.account-password-changed`.
   */
  async onAccountPasswordChanged(_event, _context) {
    // TODO: End the account's other sessions when the change asks for it. `_event.data` is the
    // UserAccountPasswordChanged payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onAccountPasswordChanged is not implemented yet');
  }
};
