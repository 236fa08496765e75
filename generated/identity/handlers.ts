// Created by eventwire from asyncapi/identity.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type { ProgressTracking } from 'eventwire/runtime';
import type pg from 'pg';
import type { IdentityHandlers } from './consumer.ts';
import type { IdentityPublisher } from './publisher.ts';
import type { EmailVerificationRequested } from './types.ts';

/** The SMTP relay the worker sends through. */
export interface SmtpClient {
  send(mail: { readonly to: string; readonly subject: string; readonly text: string }): Promise<void>;
}

/** Sign-ups whose verification mail went out: the sign-up funnel's "code sent" step, recorded once per user. */
export interface SignupLog {
  /** Records the user's first verification mail (`eventId`: the request that sent it); later calls change nothing. */
  verificationMailed(userId: string, eventId: string, at: string): Promise<void>;
}

/** What the identity service's handlers act on. */
export interface IdentityHandlerDeps {
  /** Publishes the identity service's events: `createIdentityPublisher(runtime)`. */
  readonly publisher: IdentityPublisher;
  readonly smtp: SmtpClient;
  readonly signups: SignupLog;
  /**
   * Seed 002's progress state (`ProgressTracker` on Redis): a user's verification is a job of one item, the
   * first mail sent. Workers send concurrently (a user who clicks "resend" twice has two requests in flight);
   * the tracker's atomic finish line lets exactly one of them record the step in the sign-up funnel.
   */
  readonly progress: ProgressTracking;
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

/** The progress record of a user's e-mail verification. */
export function verificationJobOf(userId: string): string {
  return `email-verification:${userId}`;
}

/**
 * Event handlers of the identity service (the SMTP worker on `smtp_send_email_v2`). Start them with
 * `startIdentityConsumer(runtime, createHandlers({ publisher: createIdentityPublisher(runtime), smtp }))`;
 * `eventwire test identity` runs the same factory under injected faults.
 */
export function createHandlers(deps: IdentityHandlerDeps): IdentityHandlers {
  return {
    /**
     * Sends the verification code; an expired request is dropped (the user asks for a new code). Then marks
     * the request done in the user's verification job: the mark that crosses the finish line (or its
     * redelivery) records the sign-up's "code sent" step; every other request's mark counts nothing more.
     */
    async onEmailEvent(event, context) {
      if (Date.parse(event.data.expires_at) < Date.parse(event.timestamp)) return;
      if (context.signal.aborted) throw context.signal.reason;
      await deps.smtp.send(verificationMail(event.data));
      const job = verificationJobOf(event.data.user_id);
      await deps.progress.init(job, 1);
      const mark = await deps.progress.markItemDone(job, event.event_id);
      const finisher = mark.outcome === 'finished' || (mark.outcome === 'already-finished' && mark.finishedBy === event.event_id);
      if (finisher) await deps.signups.verificationMailed(event.data.user_id, event.event_id, event.timestamp);
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

export class MemorySignupLog implements SignupLog {
  readonly mailed = new Map<string, { eventId: string; at: string }>();

  async verificationMailed(userId: string, eventId: string, at: string): Promise<void> {
    if (!this.mailed.has(userId)) this.mailed.set(userId, { eventId, at });
  }
}

/** The identity service's tables (a migration in production, created per run under the harness). */
export const IDENTITY_TABLES = `
CREATE TABLE IF NOT EXISTS sent_mail (
  id bigserial PRIMARY KEY, recipient text NOT NULL, subject text NOT NULL, body text NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS signup_verifications (user_id text PRIMARY KEY, event_id text NOT NULL, mailed_at text NOT NULL);
`;

/**
 * An SMTP "relay" that appends every mail to a table: one row per send, never deduplicated, so a test reads
 * back what was sent and counts duplicates.
 */
export class PgRecordingSmtp implements SmtpClient {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async send(mail: { to: string; subject: string; text: string }): Promise<void> {
    await this.#pool.query('INSERT INTO sent_mail (recipient, subject, body) VALUES ($1, $2, $3)', [
      mail.to,
      mail.subject,
      mail.text,
    ]);
  }
}

export class PgSignupLog implements SignupLog {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async verificationMailed(userId: string, eventId: string, at: string): Promise<void> {
    await this.#pool.query(
      'INSERT INTO signup_verifications (user_id, event_id, mailed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [userId, eventId, at],
    );
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/**
 * `progress` comes from the harness (a tracker on the run's Redis); the mail log and the sign-up log are in the
 * run's PostgreSQL schema on real brokers (closed with the run), in memory otherwise.
 */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<IdentityHandlerDeps, 'smtp' | 'signups'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { smtp: new RecordingSmtp(), signups: new MemorySignupLog() };
  await database.ensureTables(IDENTITY_TABLES);
  return {
    smtp: new PgRecordingSmtp(database.pool),
    signups: new PgSignupLog(database.pool),
    [Symbol.asyncDispose]: () => database[Symbol.asyncDispose](),
  };
}
