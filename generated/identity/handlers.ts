// Created by eventwire from asyncapi/identity.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { IdentityHandlers } from './consumer.ts';

/**
 * Event handlers of the identity service. Start them with `startIdentityConsumer(runtime, handlers)`.
 *
 * eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds
 * a receive operation, `IdentityHandlers` gains a key and this object stops compiling until you add
 * the handler.
 */
export const handlers: IdentityHandlers = {
  /**
   * Handles `email.verification.requested` from AMQP exchange `smap.events` bound with `email.#`.
   * Throwing retries the event (up to 3 retries), then it goes to `email.errors`.
   */
  async onEmailEvent(_event, _context) {
    // TODO: Render and send the e-mail an event asks for (SMTP worker). `_event.data` is the
    // EmailVerificationRequested payload. `_context` has the attempt number, an abort signal and `follow`
    // (publish options that make an event you publish a child of this one). Return normally to
    // acknowledge; throw to retry.
    throw new Error('onEmailEvent is not implemented yet');
  }
};
