// Created by eventwire from asyncapi/order.yaml, asyncapi/payment.yaml, asyncapi/return.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type pg from 'pg';
import type { ReturnHandlers } from './consumer.ts';
import type { ReturnPublisher } from './publisher.ts';
import type { Money, OrdersOrderDelivered, ReturnsReturnRequested } from './types.ts';

/** A return as the return service keeps it. */
export interface ReturnRecord {
  readonly request: ReturnsReturnRequested;
  /** Set once the payment service has refunded it, with the refund event that completed it. */
  readonly refundId?: string;
  readonly completedBy?: string;
}

/** Returns, the SKUs of each already back in stock, and the return windows of delivered orders. */
export interface ReturnBook {
  /** Stores a new return; false when a return with this id exists already. */
  open(request: ReturnsReturnRequested): Promise<boolean>;
  get(returnId: string): Promise<ReturnRecord | undefined>;
  /** Ticks off one returned SKU as back in stock (once); answers the SKUs of the return still missing. */
  restocked(returnId: string, sku: string): Promise<string[]>;
  /**
   * Records the refund that completes the return (the first refund event wins); answers the id of the event
   * that completed it.
   */
  refunded(returnId: string, refundId: string, eventId: string): Promise<string>;
  openWindow(order: OrdersOrderDelivered): Promise<void>;
}

/** The payment service's API as the return service calls it. */
export interface PaymentsApi {
  refund(request: {
    readonly returnId: string;
    readonly orderId: string;
    readonly customerId: string;
    readonly amount: Money;
    readonly at: string;
  }): Promise<unknown>;
}

/** What the return service's handlers act on. */
export interface ReturnHandlerDeps {
  /** Publishes the return service's events: `createReturnPublisher(runtime)`. */
  readonly publisher: ReturnPublisher;
  readonly returns: ReturnBook;
  /** `createPaymentApi` of the payment service, behind HTTP in production. */
  readonly payments: PaymentsApi;
}

/**
 * Event handlers of the return service: return -> warehouse (restocks, one event per SKU) -> return (asks the
 * payment API for the refund once every SKU is back) -> payment (`payments.payment.refunded`) -> return
 * (`returns.return.completed`). Start them with `startReturnConsumer(runtime, createHandlers({ publisher:
 * createReturnPublisher(runtime), returns, payments }))`; `eventwire test` runs the same factory.
 */
export function createHandlers(deps: ReturnHandlerDeps): ReturnHandlers {
  return {
    /**
     * Ticks off a restocked SKU of a return; the tick that brings the last SKU back asks for the refund (the
     * payment API pays a return once, however often it is asked, so a redelivery may ask again). Restocks
     * of purchase orders and transfers, and of returns this service does not know, are not its business.
     */
    async onInventoryRestocked(event) {
      const { source, sku, restocked_at } = event.data;
      if (source.type !== 'return') return;
      const record = await deps.returns.get(source.reference_id);
      if (!record) return;
      const missing = await deps.returns.restocked(source.reference_id, sku);
      if (missing.length > 0) return;
      const { request } = record;
      await deps.payments.refund({
        returnId: request.return_id,
        orderId: request.order_id,
        customerId: request.customer_id,
        amount: request.refund_amount,
        at: restocked_at,
      });
    },
    /** Opens the return window of a delivered order. */
    async onOrderDelivered(event) {
      await deps.returns.openWindow(event.data);
    },
    /**
     * The refund of a return closes it: `returns.return.completed` (loyalty takes back the points), sent by
     * the refund event that completed the return (again when that event is redelivered, never for another).
     */
    async onPaymentRefunded(event, context) {
      const refund = event.data;
      if (refund.return_id === undefined) return;
      const record = await deps.returns.get(refund.return_id);
      if (!record) return;
      const completedBy = await deps.returns.refunded(refund.return_id, refund.refund_id, event.event_id);
      if (completedBy !== event.event_id) return;
      const { request } = record;
      await deps.publisher.publishReturnsReturnCompleted(
        {
          return_id: request.return_id,
          order_id: request.order_id,
          customer_id: request.customer_id,
          refund_id: refund.refund_id,
          refunded_amount: refund.amount,
          items: request.items.map(({ product_id, sku, quantity }) => ({ product_id, sku, quantity })),
          completed_at: refund.refunded_at,
        },
        context.follow,
      );
    },
  };
}

/** The return service's API (customers ask for returns in the app): stores the return and announces it. */
export function createReturnApi(deps: Pick<ReturnHandlerDeps, 'publisher' | 'returns'>) {
  return {
    async request(request: ReturnsReturnRequested) {
      await deps.returns.open(request);
      return deps.publisher.publishReturnsReturnRequested(request);
    },
  };
}

function missingOf(request: ReturnsReturnRequested, back: ReadonlySet<string>): string[] {
  return [...new Set(request.items.map((item) => item.sku))].filter((sku) => !back.has(sku));
}

export class MemoryReturnBook implements ReturnBook {
  readonly returns = new Map<string, ReturnRecord>();
  readonly back = new Map<string, Set<string>>();
  readonly windows = new Map<string, OrdersOrderDelivered>();

  async open(request: ReturnsReturnRequested): Promise<boolean> {
    if (this.returns.has(request.return_id)) return false;
    this.returns.set(request.return_id, { request });
    return true;
  }

  async get(returnId: string): Promise<ReturnRecord | undefined> {
    return this.returns.get(returnId);
  }

  async restocked(returnId: string, sku: string): Promise<string[]> {
    const back = this.back.get(returnId) ?? new Set<string>();
    back.add(sku);
    this.back.set(returnId, back);
    return missingOf(this.returns.get(returnId)!.request, back);
  }

  async refunded(returnId: string, refundId: string, eventId: string): Promise<string> {
    const record = this.returns.get(returnId)!;
    if (record.completedBy !== undefined) return record.completedBy;
    this.returns.set(returnId, { ...record, refundId, completedBy: eventId });
    return eventId;
  }

  async openWindow(order: OrdersOrderDelivered): Promise<void> {
    this.windows.set(order.order_id, order);
  }
}

/** The return service's tables (a migration in production, created per run under the harness). */
export const RETURN_TABLES = `
CREATE TABLE IF NOT EXISTS returns (
  return_id text PRIMARY KEY, order_id text NOT NULL, request jsonb NOT NULL, refund_id text, completed_by text,
  status text NOT NULL DEFAULT 'requested'
);
CREATE TABLE IF NOT EXISTS returned_skus (return_id text, sku text, PRIMARY KEY (return_id, sku));
CREATE TABLE IF NOT EXISTS return_windows (order_id text PRIMARY KEY, customer_id text NOT NULL, ends_at text NOT NULL, items jsonb NOT NULL);
`;

/** The return book in PostgreSQL: every write is an insert-once or a first-wins update. */
export class PgReturnBook implements ReturnBook {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async open(request: ReturnsReturnRequested): Promise<boolean> {
    const inserted = await this.#pool.query(
      'INSERT INTO returns (return_id, order_id, request) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [request.return_id, request.order_id, request],
    );
    return inserted.rowCount === 1;
  }

  async get(returnId: string): Promise<ReturnRecord | undefined> {
    const { rows } = await this.#pool.query<{ request: ReturnsReturnRequested; refund_id: string | null }>(
      'SELECT request, refund_id FROM returns WHERE return_id = $1',
      [returnId],
    );
    const row = rows[0];
    return row && { request: row.request, ...(row.refund_id ? { refundId: row.refund_id } : {}) };
  }

  async restocked(returnId: string, sku: string): Promise<string[]> {
    // Each tick commits before it counts, so of two SKUs coming back at once, the later count sees both.
    await this.#pool.query('INSERT INTO returned_skus (return_id, sku) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      returnId,
      sku,
    ]);
    const [record, back] = await Promise.all([
      this.get(returnId),
      this.#pool.query<{ sku: string }>('SELECT sku FROM returned_skus WHERE return_id = $1', [returnId]),
    ]);
    return missingOf(record!.request, new Set(back.rows.map((row) => row.sku)));
  }

  async refunded(returnId: string, refundId: string, eventId: string): Promise<string> {
    await this.#pool.query(
      "UPDATE returns SET refund_id = $2, completed_by = $3, status = 'completed' WHERE return_id = $1 AND completed_by IS NULL",
      [returnId, refundId, eventId],
    );
    const { rows } = await this.#pool.query<{ completed_by: string }>('SELECT completed_by FROM returns WHERE return_id = $1', [
      returnId,
    ]);
    return rows[0]!.completed_by;
  }

  async openWindow(order: OrdersOrderDelivered): Promise<void> {
    await this.#pool.query(
      `INSERT INTO return_windows (order_id, customer_id, ends_at, items) VALUES ($1, $2, $3, $4)
       ON CONFLICT (order_id) DO UPDATE SET ends_at = EXCLUDED.ends_at, items = EXCLUDED.items`,
      [order.order_id, order.customer_id, order.return_window_ends_at, JSON.stringify(order.items)],
    );
  }
}

/** The refund requests the return service made, when the harness runs it without the payment service. */
export class RecordingPaymentsApi implements PaymentsApi {
  readonly requests: Parameters<PaymentsApi['refund']>[0][] = [];

  async refund(request: Parameters<PaymentsApi['refund']>[0]): Promise<void> {
    this.requests.push(request);
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/**
 * The return book in the run's PostgreSQL schema on real brokers (closed with the run), in memory otherwise;
 * the payment API is a recorder (the flows of harness/flows wire the payment service's own API instead).
 */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<ReturnHandlerDeps, 'returns' | 'payments'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { returns: new MemoryReturnBook(), payments: new RecordingPaymentsApi() };
  await database.ensureTables(RETURN_TABLES);
  return {
    returns: new PgReturnBook(database.pool),
    payments: new RecordingPaymentsApi(),
    [Symbol.asyncDispose]: () => database[Symbol.asyncDispose](),
  };
}
