// Created by eventwire from asyncapi/order.yaml, asyncapi/return.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type pg from 'pg';
import type { WarehouseHandlers } from './consumer.ts';
import type { WarehousePublisher } from './publisher.ts';
import type { WarehouseInventoryReserved, WarehouseInventoryRestocked } from './types.ts';

/** One returned line put back on the shelf, with the stock it left (recorded once, replayed on redelivery). */
export interface RestockedLine {
  readonly productId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly onHandAfter: number;
}

export type ReturnLine = { readonly product_id: string; readonly sku: string; readonly quantity: number };

/** Stock per warehouse and SKU, and the reservations held against it. */
export interface StockLedger {
  /** Holds the reservation's units; false when this reservation is held already. */
  reserve(reservation: WarehouseInventoryReserved): Promise<boolean>;
  /**
   * Puts a return's units back on the shelf once; a second call for the same return changes no stock and
   * answers the lines as the first call recorded them, so the announcements it leads to are the same.
   */
  restock(returnId: string, warehouseId: string, lines: readonly ReturnLine[]): Promise<RestockedLine[]>;
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
/** Units on hand of a SKU the ledger has not seen yet (the demo platform starts every shelf with this). */
export const STARTING_STOCK = 100;

/** The stock record of a SKU in a warehouse: `inv_` + its letters and digits. */
export function inventoryIdOf(warehouseId: string, sku: string): string {
  return `inv_${`${warehouseId}${sku}`.toLowerCase().replace(/[^0-9a-z]/g, '').slice(-32).padStart(6, '0')}`;
}

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
    /**
     * Returned items go back into stock once the return is requested (the pickup and the inspection are booked
     * elsewhere), each line announced as restocked from the return: the return service refunds once every
     * item is back. A redelivery announces the same lines again (same stock figures); the return service
     * counts each SKU once.
     */
    async onReturnRequested(event, context) {
      const { return_id, warehouse_id, items, requested_at } = event.data;
      for (const line of await deps.stock.restock(return_id, warehouse_id, items)) {
        const restocked: WarehouseInventoryRestocked = {
          inventory_id: inventoryIdOf(warehouse_id, line.sku),
          product_id: line.productId,
          sku: line.sku,
          warehouse_id,
          quantity: line.quantity,
          on_hand_after: line.onHandAfter,
          source: { type: 'return', reference_id: return_id },
          restocked_at: requested_at,
        };
        await deps.publisher.publishWarehouseInventoryRestocked(restocked, context.follow);
      }
    },
  };
}

export class MemoryStockLedger implements StockLedger {
  readonly reservations = new Map<string, WarehouseInventoryReserved>();
  /** The lines restocked per return. */
  readonly restocked = new Map<string, RestockedLine[]>();
  /** Units on hand by `<warehouse>/<sku>`. */
  readonly onHand = new Map<string, number>();

  async reserve(reservation: WarehouseInventoryReserved): Promise<boolean> {
    if (this.reservations.has(reservation.reservation_id)) return false;
    this.reservations.set(reservation.reservation_id, reservation);
    return true;
  }

  async restock(returnId: string, warehouseId: string, lines: readonly ReturnLine[]): Promise<RestockedLine[]> {
    const done = this.restocked.get(returnId);
    if (done) return done;
    const restocked = lines.map((line) => {
      const shelf = `${warehouseId}/${line.sku}`;
      const onHandAfter = (this.onHand.get(shelf) ?? STARTING_STOCK) + line.quantity;
      this.onHand.set(shelf, onHandAfter);
      return { productId: line.product_id, sku: line.sku, quantity: line.quantity, onHandAfter };
    });
    this.restocked.set(returnId, restocked);
    return restocked;
  }
}

/** The warehouse's tables (a migration in production, created per run under the harness). */
export const WAREHOUSE_TABLES = `
CREATE TABLE IF NOT EXISTS reservations (reservation_id text PRIMARY KEY, order_id text NOT NULL, document jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS stock (warehouse_id text, sku text, on_hand integer NOT NULL, PRIMARY KEY (warehouse_id, sku));
CREATE TABLE IF NOT EXISTS restocks (
  return_id text, line integer, warehouse_id text NOT NULL, product_id text NOT NULL, sku text NOT NULL,
  quantity integer NOT NULL, on_hand_after integer NOT NULL, PRIMARY KEY (return_id, line)
);
`;

/** The stock ledger in PostgreSQL: a reservation is inserted once; a return's restock is one transaction. */
export class PgStockLedger implements StockLedger {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async reserve(reservation: WarehouseInventoryReserved): Promise<boolean> {
    const inserted = await this.#pool.query(
      'INSERT INTO reservations (reservation_id, order_id, document) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [reservation.reservation_id, reservation.order_id, reservation],
    );
    return inserted.rowCount === 1;
  }

  async restock(returnId: string, warehouseId: string, lines: readonly ReturnLine[]): Promise<RestockedLine[]> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      // Two deliveries of one return (a redelivery while the first is still busy) take turns here.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`restock:${returnId}`]);
      let rows = (await client.query<RestockRow>(RESTOCKS_OF, [returnId])).rows;
      if (rows.length === 0) {
        for (const [line, { product_id, sku, quantity }] of lines.entries()) {
          const shelf = await client.query<{ on_hand: number }>(
            `INSERT INTO stock (warehouse_id, sku, on_hand) VALUES ($1, $2, $3::integer + $4::integer)
             ON CONFLICT (warehouse_id, sku) DO UPDATE SET on_hand = stock.on_hand + $4::integer RETURNING on_hand`,
            [warehouseId, sku, STARTING_STOCK, quantity],
          );
          await client.query(
            `INSERT INTO restocks (return_id, line, warehouse_id, product_id, sku, quantity, on_hand_after)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [returnId, line, warehouseId, product_id, sku, quantity, shelf.rows[0]!.on_hand],
          );
        }
        rows = (await client.query<RestockRow>(RESTOCKS_OF, [returnId])).rows;
      }
      await client.query('COMMIT');
      return rows.map((row) => ({ productId: row.product_id, sku: row.sku, quantity: row.quantity, onHandAfter: row.on_hand_after }));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

type RestockRow = { product_id: string; sku: string; quantity: number; on_hand_after: number };
const RESTOCKS_OF = 'SELECT product_id, sku, quantity, on_hand_after FROM restocks WHERE return_id = $1 ORDER BY line';

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/** The stock ledger in the run's PostgreSQL schema on real brokers (closed with the run), in memory otherwise. */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<WarehouseHandlerDeps, 'stock'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { stock: new MemoryStockLedger() };
  await database.ensureTables(WAREHOUSE_TABLES);
  return { stock: new PgStockLedger(database.pool), [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]() };
}
