// Created by eventwire from asyncapi/fulfillment.yaml, asyncapi/shipping.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
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
    this.statuses.set(fulfillmentId, [...(this.statuses.get(fulfillmentId) ?? []), `${sequence}:${status}`]);
  }

  async book(shipment: ShippingShipmentCreated): Promise<void> {
    this.bookings.set(shipment.shipment_id, shipment);
  }
}

/** `progress` comes from the harness (a tracker on the run's brokers); the shipment book is fresh per suite. */
export async function createHarnessDeps(_context: HarnessDepsContext): Promise<Pick<ShippingHandlerDeps, 'shipments'>> {
  return { shipments: new MemoryShipmentBook() };
}
