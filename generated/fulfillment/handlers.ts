// Created by eventwire from asyncapi/fulfillment.yaml, asyncapi/order.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type pg from 'pg';
import type { PublishOptions } from 'eventwire/runtime';
import type { FulfillmentHandlers } from './consumer.ts';
import type { FulfillmentPublisher } from './publisher.ts';
import type { Address, FulfillmentsFulfillmentStatusChanged, OrdersOrderCreated, SkuQuantity } from './types.ts';

/** One fulfillment per order: what is known of the order and of its stock, and how far it got. */
export interface FulfillmentRecord {
  readonly fulfillmentId: string;
  readonly orderId: string;
  order?: Pick<OrdersOrderCreated, 'order_id' | 'shipping_address' | 'shipping_method'>;
  stock?: { readonly reservationId: string; readonly warehouseId: string; readonly items: SkuQuantity[] };
  orderStatuses: string[];
}

export interface FulfillmentStore {
  /**
   * Applies `change` to the record of an order's fulfillment (created on first use) and answers the record
   * after it. Changes of one order never interleave: the order's events may be handled by several consumers
   * at once.
   */
  update(orderId: string, change: (record: FulfillmentRecord) => void): Promise<FulfillmentRecord>;
}

/** What the fulfillment service's handlers act on. */
export interface FulfillmentHandlerDeps {
  /** Publishes the fulfillment service's events: `createFulfillmentPublisher(runtime)`. */
  readonly publisher: FulfillmentPublisher;
  readonly fulfillments: FulfillmentStore;
}

const PACKAGE = { weight_grams: 520, length_cm: 30, width_cm: 25, height_cm: 4 };

/**
 * Event handlers of the fulfillment service. A fulfillment is `created` once its stock is reserved and
 * `ready_to_ship` once the order's address is known too, whichever event comes last. Each handler announces
 * every status reached so far: a repeat carries the same sequence, which subscribers' ordering guards drop as
 * stale, so a redelivery never loses an announcement and never confuses a subscriber. Start them with
 * `startFulfillmentConsumer(runtime, createHandlers({ publisher: createFulfillmentPublisher(runtime),
 * fulfillments }))`; `eventwire test` runs the same factory under injected faults.
 */
export function createHandlers(deps: FulfillmentHandlerDeps): FulfillmentHandlers {
  const announce = async (record: FulfillmentRecord, at: string, follow: PublishOptions) => {
    for (const status of statusesOf(record, at)) {
      await deps.publisher.publishFulfillmentsFulfillmentStatusChanged(status, follow);
    }
  };
  return {
    async onOrderCreated(event, context) {
      const order = event.data;
      const record = await deps.fulfillments.update(order.order_id, (record) => {
        record.order = { order_id: order.order_id, shipping_address: order.shipping_address, shipping_method: order.shipping_method };
      });
      await announce(record, order.placed_at, context.follow);
    },
    async onOrderStatusChanged(event) {
      const status = `${event.data.sequence}:${event.data.new_status}`;
      await deps.fulfillments.update(event.data.order_id, (record) => {
        if (!record.orderStatuses.includes(status)) record.orderStatuses.push(status);
      });
    },
    async onInventoryReserved(event, context) {
      const reservation = event.data;
      const record = await deps.fulfillments.update(reservation.order_id, (record) => {
        record.stock = {
          reservationId: reservation.reservation_id,
          warehouseId: reservation.warehouse_id,
          items: reservation.items,
        };
      });
      await announce(record, reservation.reserved_at, context.follow);
    },
  };
}

/** The statuses a fulfillment has reached: created with its stock, ready to ship once the address is known. */
function statusesOf(record: FulfillmentRecord, at: string): FulfillmentsFulfillmentStatusChanged[] {
  const stock = record.stock;
  if (!stock) return [];
  const base = {
    fulfillment_id: record.fulfillmentId,
    order_id: record.orderId,
    warehouse_id: stock.warehouseId,
    reservation_id: stock.reservationId,
    items: stock.items,
    shipping_method: record.order?.shipping_method ?? ('standard' as const),
  };
  const created = { ...base, sequence: 1, new_status: 'created' as const, changed_at: at };
  const address: Address | undefined = record.order?.shipping_address;
  if (!address) return [created];
  return [
    created,
    {
      ...base,
      sequence: 2,
      previous_status: 'created',
      new_status: 'ready_to_ship',
      package: PACKAGE,
      shipping_address: address,
      cod_amount: { amount: 0, currency: 'VND' },
      changed_at: at,
    },
  ];
}

/** A new fulfillment record: its id derives from the order number, so every consumer names it alike. */
function newRecord(orderId: string): FulfillmentRecord {
  return { fulfillmentId: `ful_${serialOf(orderId)}`, orderId, orderStatuses: [] };
}

export class MemoryFulfillmentStore implements FulfillmentStore {
  readonly records = new Map<string, FulfillmentRecord>();

  async update(orderId: string, change: (record: FulfillmentRecord) => void): Promise<FulfillmentRecord> {
    const record = this.records.get(orderId) ?? newRecord(orderId);
    change(record);
    this.records.set(orderId, record);
    return structuredClone(record);
  }
}

/** The fulfillment service's table (a migration in production, created per run under the harness). */
export const FULFILLMENT_TABLES = `
CREATE TABLE IF NOT EXISTS fulfillments (order_id text PRIMARY KEY, fulfillment_id text NOT NULL, record jsonb NOT NULL);
`;

/** The fulfillment records in PostgreSQL: each change is a read-modify-write under the row's lock. */
export class PgFulfillmentStore implements FulfillmentStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async update(orderId: string, change: (record: FulfillmentRecord) => void): Promise<FulfillmentRecord> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const fresh = newRecord(orderId);
      await client.query(
        'INSERT INTO fulfillments (order_id, fulfillment_id, record) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [orderId, fresh.fulfillmentId, fresh],
      );
      const { rows } = await client.query<{ record: FulfillmentRecord }>(
        'SELECT record FROM fulfillments WHERE order_id = $1 FOR UPDATE',
        [orderId],
      );
      const record = rows[0]!.record;
      change(record);
      await client.query('UPDATE fulfillments SET record = $2 WHERE order_id = $1', [orderId, record]);
      await client.query('COMMIT');
      return record;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/** The fulfillment records in the run's PostgreSQL schema on real brokers (closed with the run), in memory otherwise. */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<FulfillmentHandlerDeps, 'fulfillments'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { fulfillments: new MemoryFulfillmentStore() };
  await database.ensureTables(FULFILLMENT_TABLES);
  return {
    fulfillments: new PgFulfillmentStore(database.pool),
    [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]()
  };
}

/** The serial of an order number (`ORD-20260130-12345` -> `012345`), sized for the ids derived from it. */
function serialOf(orderId: string): string {
  return (orderId.split('-').at(-1) ?? '').slice(-32).padStart(6, '0');
}
