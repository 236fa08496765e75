// Created by eventwire from asyncapi/order.yaml, asyncapi/payment.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type pg from 'pg';
import type { PaymentHandlers } from './consumer.ts';
import type { PaymentPublisher } from './publisher.ts';
import type { Money, OrdersPaymentCaptureRequested, PaymentsPaymentCaptured, PaymentsPaymentRefunded } from './types.ts';


/** Payments captured with the providers, and the refunds paid out. */
export interface PaymentLedger {
  /** Records the capture once (by payment id); answers the capture as first recorded. */
  capture(capture: PaymentsPaymentCaptured): Promise<PaymentsPaymentCaptured>;
  /** The captured payment of an order, if any. */
  paymentOf(orderId: string): Promise<PaymentsPaymentCaptured | undefined>;
  /** Records the refund once (by refund id); answers it as first recorded. */
  refund(refund: PaymentsPaymentRefunded): Promise<PaymentsPaymentRefunded>;
  /** Claims the refund's announcement: true for exactly one caller until it is released. */
  claimAnnouncement(refundId: string): Promise<boolean>;
  /** Gives the claim back (the announcement could not be sent): the next request announces it. */
  releaseAnnouncement(refundId: string): Promise<void>;
}

/** What the payment service's handlers act on. */
export interface PaymentHandlerDeps {
  /** Publishes the payment service's events: `createPaymentPublisher(runtime)`. */
  readonly publisher: PaymentPublisher;
  readonly ledger: PaymentLedger;
}

const PROVIDERS = { card: 'vnpay', e_wallet: 'momo', bank_transfer: 'bank_transfer', cod: 'cash' } as const;

/** Lower-case letters and digits of an id, sized for the `<prefix>_[0-9a-z]{6,32}` ids. */
function idPart(id: string): string {
  return id.toLowerCase().replace(/[^0-9a-z]/g, '').slice(-30).padStart(6, '0');
}

/**
 * Event handlers of the payment service. Start them with `startPaymentConsumer(runtime, createHandlers({
 * publisher: createPaymentPublisher(runtime), ledger }))`; `eventwire test` runs the same factory.
 */
export function createHandlers(deps: PaymentHandlerDeps): PaymentHandlers {
  return {
    /**
     * Captures the authorized payment of an order (the provider's capture is keyed by the payment id, so a
     * repeat captures nothing twice) and announces it: captured, then processed (succeeded).
     */
    async onPaymentCaptureRequested(event, context) {
      const request: OrdersPaymentCaptureRequested = event.data;
      const captured = await deps.ledger.capture({
        payment_id: request.payment_id,
        order_id: request.order_id,
        customer_id: request.customer_id,
        amount: request.amount,
        method: request.payment_method,
        provider: PROVIDERS[request.payment_method],
        provider_transaction_id: `TXN${idPart(request.payment_id).toUpperCase()}`,
        captured_at: request.requested_at,
      });
      await deps.publisher.publishPaymentsPaymentCaptured(captured, context.follow);
      await deps.publisher.publishPaymentsPaymentProcessed(
        {
          payment_id: captured.payment_id,
          order_id: captured.order_id,
          customer_id: captured.customer_id,
          outcome: 'succeeded',
          amount: captured.amount,
          method: captured.method,
          processed_at: captured.captured_at,
        },
        context.follow,
      );
    },
  };
}

/** What the return service asks the payment API for once every item of a return is back. */
export interface RefundRequest {
  readonly returnId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: Money;
  readonly at: string;
}

/**
 * The payment service's API (called over HTTP by the return service; in process in the demo platform): a
 * refund is keyed by its return, so asking twice pays once, and `payments.payment.refunded` goes out once: the
 * request that claims the announcement sends it (two requests at once send one), and gives the claim back when
 * the broker refused it, so a retried request sends it. A crash between claim and send loses the
 * announcement: the transactional outbox (eventwire/runtime) is the production answer.
 */
export function createPaymentApi(deps: PaymentHandlerDeps) {
  return {
    async refund(request: RefundRequest): Promise<PaymentsPaymentRefunded> {
      const payment = await deps.ledger.paymentOf(request.orderId);
      const refund = await deps.ledger.refund({
        refund_id: `rfd_${idPart(request.returnId)}`,
        payment_id: payment?.payment_id ?? `pay_${idPart(request.orderId)}`,
        order_id: request.orderId,
        return_id: request.returnId,
        customer_id: request.customerId,
        amount: request.amount,
        partial: payment !== undefined && request.amount.amount < payment.amount.amount,
        reason: 'return',
        refunded_at: request.at,
      });
      if (await deps.ledger.claimAnnouncement(refund.refund_id)) {
        try {
          await deps.publisher.publishPaymentsPaymentRefunded(refund);
        } catch (error) {
          await deps.ledger.releaseAnnouncement(refund.refund_id);
          throw error;
        }
      }
      return refund;
    },
  };
}

export class MemoryPaymentLedger implements PaymentLedger {
  readonly captures = new Map<string, PaymentsPaymentCaptured>();
  readonly refunds = new Map<string, PaymentsPaymentRefunded>();
  readonly announced = new Set<string>();

  async capture(capture: PaymentsPaymentCaptured): Promise<PaymentsPaymentCaptured> {
    if (!this.captures.has(capture.payment_id)) this.captures.set(capture.payment_id, capture);
    return this.captures.get(capture.payment_id)!;
  }

  async paymentOf(orderId: string): Promise<PaymentsPaymentCaptured | undefined> {
    return [...this.captures.values()].find((capture) => capture.order_id === orderId);
  }

  async refund(refund: PaymentsPaymentRefunded): Promise<PaymentsPaymentRefunded> {
    if (!this.refunds.has(refund.refund_id)) this.refunds.set(refund.refund_id, refund);
    return this.refunds.get(refund.refund_id)!;
  }

  async claimAnnouncement(refundId: string): Promise<boolean> {
    if (this.announced.has(refundId)) return false;
    this.announced.add(refundId);
    return true;
  }

  async releaseAnnouncement(refundId: string): Promise<void> {
    this.announced.delete(refundId);
  }
}

/** The payment service's tables (a migration in production, created per run under the harness). */
export const PAYMENT_TABLES = `
CREATE TABLE IF NOT EXISTS captures (payment_id text PRIMARY KEY, order_id text NOT NULL, document jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS refunds (
  refund_id text PRIMARY KEY, return_id text, order_id text NOT NULL, amount bigint NOT NULL, document jsonb NOT NULL,
  announced boolean NOT NULL DEFAULT false
);
`;

/** The ledger in PostgreSQL: captures and refunds are inserted once by their ids; later tries read them back. */
export class PgPaymentLedger implements PaymentLedger {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async capture(capture: PaymentsPaymentCaptured): Promise<PaymentsPaymentCaptured> {
    await this.#pool.query(
      'INSERT INTO captures (payment_id, order_id, document) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [capture.payment_id, capture.order_id, capture],
    );
    const { rows } = await this.#pool.query<{ document: PaymentsPaymentCaptured }>(
      'SELECT document FROM captures WHERE payment_id = $1',
      [capture.payment_id],
    );
    return rows[0]!.document;
  }

  async paymentOf(orderId: string): Promise<PaymentsPaymentCaptured | undefined> {
    const { rows } = await this.#pool.query<{ document: PaymentsPaymentCaptured }>(
      'SELECT document FROM captures WHERE order_id = $1 LIMIT 1',
      [orderId],
    );
    return rows[0]?.document;
  }

  async refund(refund: PaymentsPaymentRefunded): Promise<PaymentsPaymentRefunded> {
    await this.#pool.query(
      `INSERT INTO refunds (refund_id, return_id, order_id, amount, document) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [refund.refund_id, refund.return_id ?? null, refund.order_id, refund.amount.amount, refund],
    );
    const { rows } = await this.#pool.query<{ document: PaymentsPaymentRefunded }>(
      'SELECT document FROM refunds WHERE refund_id = $1',
      [refund.refund_id],
    );
    return rows[0]!.document;
  }

  async claimAnnouncement(refundId: string): Promise<boolean> {
    const claimed = await this.#pool.query(
      'UPDATE refunds SET announced = true WHERE refund_id = $1 AND NOT announced',
      [refundId],
    );
    return claimed.rowCount === 1;
  }

  async releaseAnnouncement(refundId: string): Promise<void> {
    await this.#pool.query('UPDATE refunds SET announced = false WHERE refund_id = $1', [refundId]);
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/** The ledger in the run's PostgreSQL schema on real brokers (closed with the run), in memory otherwise. */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<PaymentHandlerDeps, 'ledger'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { ledger: new MemoryPaymentLedger() };
  await database.ensureTables(PAYMENT_TABLES);
  return { ledger: new PgPaymentLedger(database.pool), [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]() };
}
