// Created by eventwire from asyncapi/order.yaml, asyncapi/return.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type { WarehouseHandlers } from './consumer.ts';
import type { WarehousePublisher } from './publisher.ts';
import type { WarehouseInventoryReserved } from './types.ts';

/** Stock per warehouse and SKU, and the reservations held against it. */
export interface StockLedger {
  /** Holds the reservation's units; false when this reservation is held already. */
  reserve(reservation: WarehouseInventoryReserved): Promise<boolean>;
  /** Puts returned units back on the shelf; false when this return was restocked already. */
  restock(returnId: string, warehouseId: string, lines: readonly { sku: string; quantity: number }[]): Promise<boolean>;
}

/** What the warehouse service's handlers act on. */
export interface WarehouseHandlerDeps {
  /** Publishes the warehouse service's events: `createWarehousePublisher(runtime)`. */
  readonly publisher: WarehousePublisher;
  readonly stock: StockLedger;
}

/** The main warehouse serves every order; a reservation holds its stock for 30 minutes. */
const WAREHOUSE = 'WH-HCM-001';
const HOLD_MS = 30 * 60_000;

/**
 * Event handlers of the warehouse service. Start them with `startWarehouseConsumer(runtime, createHandlers({
 * publisher: createWarehousePublisher(runtime), stock }))`; `eventwire test` runs the same factory under faults.
 */
export function createHandlers(deps: WarehouseHandlerDeps): WarehouseHandlers {
  return {
    /** Reserves stock for every line of a new order and announces the reservation. */
    async onOrderCreated(event, context) {
      const order = event.data;
      const placed = Date.parse(order.placed_at);
      const reservation: WarehouseInventoryReserved = {
        // Derived from the order number, so a redelivered order reserves (and announces) the same reservation.
        reservation_id: `res_${(order.order_id.split('-').at(-1) ?? '').slice(-32).padStart(6, '0')}`,
        order_id: order.order_id,
        customer_id: order.customer_id,
        warehouse_id: WAREHOUSE,
        items: order.items.map(({ product_id, sku, quantity }) => ({ product_id, sku, quantity })),
        complete: true,
        reserved_at: order.placed_at,
        expires_at: new Date(placed + HOLD_MS).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
      await deps.stock.reserve(reservation);
      await deps.publisher.publishWarehouseInventoryReserved(reservation, context.follow);
    },
    /** Returned items go back into stock once the return is requested (the pickup is booked elsewhere). */
    async onReturnRequested(event) {
      const { return_id, warehouse_id, items } = event.data;
      await deps.stock.restock(return_id, warehouse_id, items);
    },
  };
}

export class MemoryStockLedger implements StockLedger {
  readonly reservations = new Map<string, WarehouseInventoryReserved>();
  /** Units restocked per return, by warehouse. */
  readonly restocked = new Map<string, { warehouseId: string; units: number }>();

  async reserve(reservation: WarehouseInventoryReserved): Promise<boolean> {
    if (this.reservations.has(reservation.reservation_id)) return false;
    this.reservations.set(reservation.reservation_id, reservation);
    return true;
  }

  async restock(returnId: string, warehouseId: string, lines: readonly { sku: string; quantity: number }[]): Promise<boolean> {
    if (this.restocked.has(returnId)) return false;
    this.restocked.set(returnId, { warehouseId, units: lines.reduce((units, line) => units + line.quantity, 0) });
    return true;
  }
}

export async function createHarnessDeps(_context: HarnessDepsContext): Promise<Pick<WarehouseHandlerDeps, 'stock'>> {
  return { stock: new MemoryStockLedger() };
}
