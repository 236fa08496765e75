// Created by eventwire from asyncapi/notification.yaml, asyncapi/order.yaml, asyncapi/payment.yaml, asyncapi/return.yaml, asyncapi/review.yaml, asyncapi/shipping.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type pg from 'pg';
import type { EventContext, EventEnvelope } from 'eventwire/runtime';
import type { NotificationHandlers } from './consumer.ts';
import type { NotificationPublisher } from './publisher.ts';

/** One message to a customer. */
export interface Outgoing {
  readonly notificationId: string;
  readonly customerId: string;
  readonly template: string;
  readonly locale: string;
}

/** The e-mail provider (SES in production). */
export interface Mailer {
  send(message: Outgoing): Promise<void>;
}

/** What the notification service's handlers act on. */
export interface NotificationHandlerDeps {
  /** Publishes the notification service's events: `createNotificationPublisher(runtime)`. */
  readonly publisher: NotificationPublisher;
  readonly mailer: Mailer;
}

/**
 * Event handlers of the notification service: each customer-facing event becomes one e-mail, announced with
 * `notifications.notification.sent`. The notification id derives from the triggering subject, so a redelivered
 * trigger sends the same notification. Start them with `startNotificationConsumer(runtime, createHandlers({
 * publisher: createNotificationPublisher(runtime), mailer }))`; `eventwire test` runs the same factory.
 */
export function createHandlers(deps: NotificationHandlerDeps): NotificationHandlers {
  const notify = async (
    event: EventEnvelope<{ customer_id: string }>,
    context: EventContext,
    subject: string,
    template: string,
    locale = 'vi',
  ) => {
    const message: Outgoing = {
      notificationId: `ntf_${idPart(subject)}${template.length.toString(36)}`,
      customerId: event.data.customer_id,
      template,
      locale,
    };
    await deps.mailer.send(message);
    await deps.publisher.publishNotificationsNotificationSent(
      {
        notification_id: message.notificationId,
        customer_id: message.customerId,
        channel: 'email',
        template,
        locale,
        provider: 'ses',
        trigger_event_type: event.event_type,
        sent_at: event.timestamp.replace(/\.\d{3}Z$/, 'Z'),
      },
      context.follow,
    );
  };
  return {
    onOrderCreated: (event, context) =>
      notify(event, context, event.data.order_id, 'order-confirmation', event.data.locale),
    // Status changes are shown in the customer's order page; only the first one (pending) is e-mailed.
    async onOrderStatusChanged(event, context) {
      if (event.data.sequence === 1) await notify(event, context, `${event.data.order_id}s`, 'order-received');
    },
    onPaymentProcessed: (event, context) =>
      notify(event, context, event.data.payment_id, event.data.outcome === 'succeeded' ? 'payment-received' : 'payment-failed'),
    onReturnRequested: (event, context) => notify(event, context, event.data.return_id, 'return-requested'),
    onReviewCreated: (event, context) => notify(event, context, event.data.review_id, 'review-thanks', event.data.locale),
    onShipmentCreated: (event, context) => notify(event, context, event.data.shipment_id, 'shipment-created'),
  };
}

/** Lower-case letters and digits of an id, sized for a notification id (`ntf_[0-9a-z]{6,32}`). */
function idPart(subject: string): string {
  return subject.toLowerCase().replace(/[^0-9a-z]/g, '').slice(-30).padStart(6, '0');
}

/** Records what was sent instead of sending it: the service's tests and `eventwire test`. */
export class RecordingMailer implements Mailer {
  readonly sent: Outgoing[] = [];

  async send(message: Outgoing): Promise<void> {
    this.sent.push(message);
  }
}

/** The sent-mail log of the notification service (a migration in production, created per run under the harness). */
export const NOTIFICATION_TABLES = `
CREATE TABLE IF NOT EXISTS sent_notifications (
  id bigserial PRIMARY KEY, notification_id text NOT NULL, customer_id text NOT NULL, template text NOT NULL,
  locale text NOT NULL, sent_at timestamptz NOT NULL DEFAULT now()
);
`;

/**
 * A mail "sender" that appends every message to a table instead of handing it to SES: one row per send, never
 * deduplicated, so a test reads back what was sent and counts the duplicates a redelivery caused.
 */
export class PgRecordingMailer implements Mailer {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async send(message: Outgoing): Promise<void> {
    await this.#pool.query(
      'INSERT INTO sent_notifications (notification_id, customer_id, template, locale) VALUES ($1, $2, $3, $4)',
      [message.notificationId, message.customerId, message.template, message.locale],
    );
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/** The mail log in the run's PostgreSQL schema on real brokers (closed with the run), in memory otherwise. */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<NotificationHandlerDeps, 'mailer'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { mailer: new RecordingMailer() };
  await database.ensureTables(NOTIFICATION_TABLES);
  return { mailer: new PgRecordingMailer(database.pool), [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]() };
}
