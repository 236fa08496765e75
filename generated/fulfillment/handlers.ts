// Created by eventwire from asyncapi/fulfillment.yaml, asyncapi/order.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
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
  /** The record of an order's fulfillment, created on first use. */
  of(orderId: string): Promise<FulfillmentRecord>;
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
      const record = await deps.fulfillments.of(order.order_id);
      record.order = { order_id: order.order_id, shipping_address: order.shipping_address, shipping_method: order.shipping_method };
      await announce(record, order.placed_at, context.follow);
    },
    async onOrderStatusChanged(event) {
      const record = await deps.fulfillments.of(event.data.order_id);
      record.orderStatuses.push(`${event.data.sequence}:${event.data.new_status}`);
    },
    async onInventoryReserved(event, context) {
      const reservation = event.data;
      const record = await deps.fulfillments.of(reservation.order_id);
      record.stock = {
        reservationId: reservation.reservation_id,
        warehouseId: reservation.warehouse_id,
        items: reservation.items,
      };
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

export class MemoryFulfillmentStore implements FulfillmentStore {
  readonly records = new Map<string, FulfillmentRecord>();

  async of(orderId: string): Promise<FulfillmentRecord> {
    let record = this.records.get(orderId);
    if (!record) {
      record = { fulfillmentId: `ful_${serialOf(orderId)}`, orderId, orderStatuses: [] };
      this.records.set(orderId, record);
    }
    return record;
  }
}

export async function createHarnessDeps(_context: HarnessDepsContext): Promise<Pick<FulfillmentHandlerDeps, 'fulfillments'>> {
  return { fulfillments: new MemoryFulfillmentStore() };
}

/** The serial of an order number (`ORD-20260130-12345` -> `012345`), sized for the ids derived from it. */
function serialOf(orderId: string): string {
  return (orderId.split('-').at(-1) ?? '').slice(-32).padStart(6, '0');
}
