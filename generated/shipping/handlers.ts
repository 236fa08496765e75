// Created by eventwire from asyncapi/fulfillment.yaml, asyncapi/shipping.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type pg from 'pg';
import type { ProgressTracking } from 'eventwire/runtime';
import type { ShippingHandlers } from './consumer.ts';
import type { ShippingPublisher } from './publisher.ts';
import type { FulfillmentsFulfillmentStatusChanged, ShippingShipmentCreated } from './types.ts';

/** Carrier bookings, and the statuses each fulfillment went through. */
export interface ShipmentBook {
  recordStatus(fulfillmentId: string, sequence: number, status: string): Promise<void>;
  book(shipment: ShippingShipmentCreated): Promise<void>;
}

/** What the shipping service's handlers act on. */
export interface ShippingHandlerDeps {
  /** Publishes the shipping service's events: `createShippingPublisher(runtime)`. */
  readonly publisher: ShippingPublisher;
  readonly shipments: ShipmentBook;
  /**
   * A fulfillment is a job whose items are its status changes up to `ready_to_ship` (its sequence is the
   * total): the carrier is booked when the last of them is done, exactly once (`ProgressTracker` on Redis).
   */
  readonly progress: ProgressTracking;
}

/**
 * Event handlers of the shipping service. Start them with `startShippingConsumer(runtime, createHandlers({
 * publisher: createShippingPublisher(runtime), shipments, progress: new ProgressTracker(redis) }))`;
 * `eventwire test` runs the same factory under injected faults.
 */
export function createHandlers(deps: ShippingHandlerDeps): ShippingHandlers {
  return {
    /**
     * Counts the fulfillment's status changes; the one that completes it (every change up to ready_to_ship
     * handled) books the carrier. A redelivery of that change books again (its mark says it finished the job);
     * any other change, however often redelivered, is counted once.
     */
    async onFulfillmentStatusChanged(event, context) {
      const status = event.data;
      const job = status.fulfillment_id;
      const item = `seq-${status.sequence}`;
      await deps.shipments.recordStatus(job, status.sequence, status.new_status);
      await deps.progress.init(job);
      if (status.new_status === 'ready_to_ship') await deps.progress.setTotal(job, status.sequence);
      const mark = await deps.progress.markItemDone(job, item);
      const finisher = mark.outcome === 'finished' || (mark.outcome === 'already-finished' && mark.finishedBy === item);
      if (!finisher || status.new_status === 'cancelled') return;
      const shipment = shipmentOf(status);
      await deps.shipments.book(shipment);
      await deps.publisher.publishShippingShipmentCreated(shipment, context.follow);
    },
  };
}

function shipmentOf(status: FulfillmentsFulfillmentStatusChanged): ShippingShipmentCreated {
  const serial = status.fulfillment_id.slice('ful_'.length);
  const digits = [...serial].map((char) => char.charCodeAt(0) % 10).join('');
  const due = new Date(Date.parse(status.changed_at) + 2 * 86_400_000).toISOString().slice(0, 10);
  return {
    shipment_id: `shp_${serial}`,
    order_id: status.order_id,
    fulfillment_id: status.fulfillment_id,
    // The order's customer, by the platform's convention of numbering customers by their first order.
    customer_id: `cust_${digits.slice(0, 9).padEnd(9, '0')}`,
    carrier: 'ghn',
    service_level: status.shipping_method,
    tracking_number: `GHN${serial.toUpperCase()}`.slice(0, 30),
    tracking_url: `https://tracking.example.com/GHN${serial.toUpperCase()}`,
    estimated_delivery_date: due,
    created_at: status.changed_at,
  };
}

export class MemoryShipmentBook implements ShipmentBook {
  readonly statuses = new Map<string, string[]>();
  readonly bookings = new Map<string, ShippingShipmentCreated>();

  async recordStatus(fulfillmentId: string, sequence: number, status: string): Promise<void> {
    const seen = this.statuses.get(fulfillmentId) ?? [];
    if (!seen.includes(`${sequence}:${status}`)) this.statuses.set(fulfillmentId, [...seen, `${sequence}:${status}`]);
  }

  async book(shipment: ShippingShipmentCreated): Promise<void> {
    this.bookings.set(shipment.shipment_id, shipment);
  }
}

/** The shipping service's tables (a migration in production, created per run under the harness). */
export const SHIPPING_TABLES = `
CREATE TABLE IF NOT EXISTS fulfillment_statuses (
  fulfillment_id text, sequence integer, status text NOT NULL, PRIMARY KEY (fulfillment_id, sequence)
);
CREATE TABLE IF NOT EXISTS shipments (shipment_id text PRIMARY KEY, fulfillment_id text NOT NULL, document jsonb NOT NULL);
`;

/** The shipment book in PostgreSQL: a status is kept once per sequence, a booking once per shipment id. */
export class PgShipmentBook implements ShipmentBook {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async recordStatus(fulfillmentId: string, sequence: number, status: string): Promise<void> {
    await this.#pool.query(
      'INSERT INTO fulfillment_statuses (fulfillment_id, sequence, status) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [fulfillmentId, sequence, status],
    );
  }

  async book(shipment: ShippingShipmentCreated): Promise<void> {
    await this.#pool.query(
      'INSERT INTO shipments (shipment_id, fulfillment_id, document) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [shipment.shipment_id, shipment.fulfillment_id, shipment],
    );
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/**
 * `progress` comes from the harness (a tracker on the run's brokers); the shipment book is in the run's
 * PostgreSQL schema on real brokers (closed with the run), in memory otherwise.
 */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<ShippingHandlerDeps, 'shipments'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { shipments: new MemoryShipmentBook() };
  await database.ensureTables(SHIPPING_TABLES);
  return { shipments: new PgShipmentBook(database.pool), [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]() };
}
