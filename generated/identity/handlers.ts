// Created by eventwire from asyncapi/identity.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type { IdentityHandlers } from './consumer.ts';
import type { IdentityPublisher } from './publisher.ts';
import type { EmailVerificationRequested } from './types.ts';

/** The SMTP relay the worker sends through. */
export interface SmtpClient {
  send(mail: { readonly to: string; readonly subject: string; readonly text: string }): Promise<void>;
}

/** What the identity service's handlers act on. */
export interface IdentityHandlerDeps {
  /** Publishes the identity service's events: `createIdentityPublisher(runtime)`. */
  readonly publisher: IdentityPublisher;
  readonly smtp: SmtpClient;
}

const SUBJECTS = { en: 'Your verification code', vi: 'Mã xác minh của bạn' } as const;

/** The verification e-mail of a request, in the user's language. */
export function verificationMail(request: EmailVerificationRequested) {
  const minutes = request.locale === 'vi' ? 'Mã hết hạn lúc' : 'The code expires at';
  return {
    to: request.recipient,
    subject: SUBJECTS[request.locale],
    text: `${request.otp_code}\n\n${minutes} ${request.expires_at}.`,
  };
}

/**
 * Event handlers of the identity service (the SMTP worker on `smtp_send_email_v2`). Start them with
 * `startIdentityConsumer(runtime, createHandlers({ publisher: createIdentityPublisher(runtime), smtp }))`;
 * `eventwire test identity` runs the same factory under injected faults.
 */
export function createHandlers(deps: IdentityHandlerDeps): IdentityHandlers {
  return {
    /** Sends the verification code; an expired request is dropped (the user asks for a new code). */
    async onEmailEvent(event, context) {
      if (Date.parse(event.data.expires_at) < Date.parse(event.timestamp)) return;
      if (context.signal.aborted) throw context.signal.reason;
      await deps.smtp.send(verificationMail(event.data));
    },
  };
}

/** Keeps the mails instead of sending them: the service's tests and `eventwire test`. */
export class RecordingSmtp implements SmtpClient {
  readonly sent: { to: string; subject: string; text: string }[] = [];

  async send(mail: { to: string; subject: string; text: string }): Promise<void> {
    this.sent.push(mail);
  }
}

export async function createHarnessDeps(_context: HarnessDepsContext): Promise<Pick<IdentityHandlerDeps, 'smtp'>> {
  return { smtp: new RecordingSmtp() };
}
