// Created by eventwire from asyncapi/catalog.yaml, asyncapi/pricing.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type pg from 'pg';
import type { CatalogHandlers } from './consumer.ts';
import type { CatalogPublisher } from './publisher.ts';
import type {
  CatalogPriceChanged,
  CatalogProductCreated,
  CatalogProductDeleted,
  CatalogProductUpdated,
  Money,
} from './types.ts';

export type Product = CatalogProductCreated['product'];
type ChangedField = CatalogProductUpdated['changed_fields'][number];

/** A product as the catalog keeps it: the document and its version (1 when created, +1 per change). */
export interface CatalogRecord {
  readonly productId: string;
  readonly version: number;
  readonly product: Product;
}

/** The events that announce one change of a product, kept with the change so a redelivery sends the same. */
export interface CatalogEvents {
  readonly priceChanged?: CatalogPriceChanged;
  readonly productUpdated?: CatalogProductUpdated;
}

export interface CatalogChange {
  readonly record: CatalogRecord;
  readonly events: CatalogEvents;
}

/** Where the catalog keeps its products, their stock levels and the changes events made to them. */
export interface CatalogStore {
  get(productId: string): Promise<CatalogRecord | undefined>;
  /** Saves a product (the catalog's API: create, edit); its SKUs and variants' SKUs find it afterwards. */
  save(record: CatalogRecord): Promise<void>;
  remove(productId: string): Promise<void>;
  /**
   * Decides a change of the product that sells `sku`, once per `changeKey` (the triggering event's ordering
   * key and sequence). Under the product's lock, `decide` gets the product (undefined when no product sells
   * the SKU) and answers the new record with the events announcing it, or nothing to change; the store saves
   * both at once. Asked again with a key it has decided (a redelivery), it answers the events decided the
   * first time without deciding again. A throwing `decide` changes nothing.
   */
  changeBySku(
    changeKey: string,
    sku: string,
    decide: (record: CatalogRecord | undefined) => CatalogChange | undefined,
  ): Promise<CatalogEvents | undefined>;
  /** Records the units of a SKU available in one warehouse; answers the SKU's total across warehouses. */
  setStock(sku: string, warehouseId: string, available: number): Promise<number>;
}

/** What the catalog service's handlers act on. */
export interface CatalogHandlerDeps {
  /** Publishes the catalog service's events: `createCatalogPublisher(runtime)`. */
  readonly publisher: CatalogPublisher;
  readonly products: CatalogStore;
}

/** A price the catalog cannot show: retrying does not help, so the event ends in `dlq.price-updated`. */
export class UnpricableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnpricableError';
  }
}

const LOW_STOCK = 10;

/**
 * Event handlers of the catalog service. Start them with `startCatalogConsumer(runtime, createHandlers({
 * publisher: createCatalogPublisher(runtime), products }))`; `eventwire test` runs the same factory.
 */
export function createHandlers(deps: CatalogHandlerDeps): CatalogHandlers {
  const announce = async (events: CatalogEvents | undefined, follow: object) => {
    if (events?.priceChanged) await deps.publisher.publishCatalogPriceChanged(events.priceChanged, follow);
    if (events?.productUpdated) await deps.publisher.publishCatalogProductUpdated(events.productUpdated, follow);
  };
  return {
    /**
     * Applies a price record to the displayed price of its SKU. A changed price is announced twice:
     * `catalog.price.changed` (checkout reprices open carts) and `catalog.product.updated` (search re-indexes).
     * A SKU no product sells is not the catalog's business; a price in another currency than the product's
     * cannot be shown and is refused.
     */
    async onPriceUpdated(event, context) {
      const price = event.data;
      const events = await deps.products.changeBySku(`price:${price.price_id}:${price.sequence}`, price.sku, (record) => {
        // A removed record: pricing follows it with the SKU's default record, which is the one to show.
        if (!record || price.change === 'deleted') return undefined;
        return repriced(record, price.sku, price.sale_price ?? price.base_price, {
          price_id: price.price_id,
          effective_from: price.effective_from,
          changed_at: price.updated_at,
          ...(price.sale_price ? { compare_at_price: price.base_price } : {}),
        });
      });
      await announce(events, context.follow);
    },
    /** Recomputes the availability flag from the SKU's stock across warehouses; only a flip changes the product. */
    async onWarehouseStockChanged(event, context) {
      const stock = event.data;
      const total = await deps.products.setStock(stock.sku, stock.warehouse_id, stock.available);
      const threshold = stock.low_stock_threshold ?? LOW_STOCK;
      const availability = total <= 0 ? 'out_of_stock' : total <= threshold ? 'low_stock' : 'in_stock';
      const key = `stock:${stock.inventory_id}:${stock.sequence}`;
      const events = await deps.products.changeBySku(key, stock.sku, (record) => {
        if (!record || record.product.availability === availability) return undefined;
        return updated(record, { ...record.product, availability }, ['availability'], stock.changed_at);
      });
      await announce(events, context.follow);
    },
  };
}

function updated(record: CatalogRecord, product: Product, fields: ChangedField[], at: string): CatalogChange {
  const next = { productId: record.productId, version: record.version + 1, product };
  const productUpdated: CatalogProductUpdated = {
    product_id: next.productId,
    version: next.version,
    updated_at: at,
    changed_fields: fields,
    product,
  };
  return { record: next, events: { productUpdated } };
}

function repriced(
  record: CatalogRecord,
  sku: string,
  price: Money,
  details: Pick<CatalogPriceChanged, 'price_id' | 'effective_from' | 'changed_at' | 'compare_at_price'>,
): CatalogChange | undefined {
  const { product } = record;
  if (price.currency !== product.price.currency) {
    throw new UnpricableError(`price of ${sku} is in ${price.currency}; product ${record.productId} is sold in ${product.price.currency}`);
  }
  const main = product.sku === sku;
  const previous = main ? product.price : (product.variants.find((variant) => variant.sku === sku)?.price ?? product.price);
  if (previous.amount === price.amount) return undefined;
  const next: Product = main
    ? { ...product, price }
    : { ...product, variants: product.variants.map((variant) => (variant.sku === sku ? { ...variant, price } : variant)) };
  const change = updated(record, next, [main ? 'price' : 'variants'], details.changed_at);
  const priceChanged: CatalogPriceChanged = {
    product_id: record.productId,
    version: change.record.version,
    sku,
    previous_price: previous,
    new_price: price,
    ...details,
  };
  return { record: change.record, events: { priceChanged, ...change.events } };
}

/**
 * The catalog's own API (products are created and edited by merchants, not by events): each call saves the
 * product and announces it. The demo platform's flows start here.
 */
export function createCatalogApi(deps: CatalogHandlerDeps) {
  return {
    async create(productId: string, product: Product, at: string) {
      await deps.products.save({ productId, version: 1, product });
      const created: CatalogProductCreated = { product_id: productId, version: 1, created_at: at, product };
      return deps.publisher.publishCatalogProductCreated(created);
    },
    async update(productId: string, change: Partial<Product>, at: string) {
      const record = await deps.products.get(productId);
      if (!record) throw new Error(`no product ${productId}`);
      const fields = Object.keys(change) as ChangedField[];
      const next = updated(record, { ...record.product, ...change }, fields, at);
      await deps.products.save(next.record);
      return deps.publisher.publishCatalogProductUpdated(next.events.productUpdated!);
    },
    async remove(productId: string, reason: CatalogProductDeleted['reason'], at: string) {
      const record = await deps.products.get(productId);
      if (!record) throw new Error(`no product ${productId}`);
      await deps.products.remove(productId);
      return deps.publisher.publishCatalogProductDeleted({
        product_id: productId,
        version: record.version + 1,
        deleted_at: at,
        skus: skusOf(record.product),
        reason,
      });
    },
  };
}

function skusOf(product: Product): string[] {
  return [...new Set([product.sku, ...product.variants.map((variant) => variant.sku)])];
}

export class MemoryCatalogStore implements CatalogStore {
  readonly products = new Map<string, CatalogRecord>();
  readonly changes = new Map<string, CatalogEvents>();
  /** Available units by `<sku>/<warehouse>`. */
  readonly stock = new Map<string, number>();

  async get(productId: string): Promise<CatalogRecord | undefined> {
    return this.products.get(productId);
  }

  async save(record: CatalogRecord): Promise<void> {
    this.products.set(record.productId, record);
  }

  async remove(productId: string): Promise<void> {
    this.products.delete(productId);
  }

  async changeBySku(
    changeKey: string,
    sku: string,
    decide: (record: CatalogRecord | undefined) => CatalogChange | undefined,
  ): Promise<CatalogEvents | undefined> {
    const decided = this.changes.get(changeKey);
    if (decided) return decided;
    const record = [...this.products.values()].find((held) => skusOf(held.product).includes(sku));
    const change = decide(record);
    if (!change) return undefined;
    this.products.set(change.record.productId, change.record);
    this.changes.set(changeKey, change.events);
    return change.events;
  }

  async setStock(sku: string, warehouseId: string, available: number): Promise<number> {
    this.stock.set(`${sku}/${warehouseId}`, available);
    let total = 0;
    for (const [key, units] of this.stock) if (key.startsWith(`${sku}/`)) total += units;
    return total;
  }
}

/** The catalog's tables (a migration in production, created per run under the harness). */
export const CATALOG_TABLES = `
CREATE TABLE IF NOT EXISTS catalog_products (product_id text PRIMARY KEY, version integer NOT NULL, document jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS catalog_skus (sku text PRIMARY KEY, product_id text NOT NULL);
CREATE TABLE IF NOT EXISTS catalog_changes (change_key text PRIMARY KEY, product_id text NOT NULL, events jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS catalog_stock (sku text, warehouse_id text, available integer NOT NULL, PRIMARY KEY (sku, warehouse_id));
`;

type ProductRow = { product_id: string; version: number; document: Product };

/** The catalog in PostgreSQL: a change, its product and the events announcing it commit in one transaction. */
export class PgCatalogStore implements CatalogStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async get(productId: string): Promise<CatalogRecord | undefined> {
    const { rows } = await this.#pool.query<ProductRow>('SELECT * FROM catalog_products WHERE product_id = $1', [productId]);
    return rows[0] && recordOf(rows[0]);
  }

  async save(record: CatalogRecord): Promise<void> {
    await this.#transaction((client) => saveWith(client, record));
  }

  async remove(productId: string): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('DELETE FROM catalog_skus WHERE product_id = $1', [productId]);
      await client.query('DELETE FROM catalog_products WHERE product_id = $1', [productId]);
    });
  }

  async changeBySku(
    changeKey: string,
    sku: string,
    decide: (record: CatalogRecord | undefined) => CatalogChange | undefined,
  ): Promise<CatalogEvents | undefined> {
    return this.#transaction(async (client) => {
      // Two deliveries of one event (a redelivery while the first is still busy) take turns here.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [changeKey]);
      const decided = await client.query<{ events: CatalogEvents }>('SELECT events FROM catalog_changes WHERE change_key = $1', [
        changeKey,
      ]);
      if (decided.rows[0]) return decided.rows[0].events;
      const { rows } = await client.query<ProductRow>(
        `SELECT p.* FROM catalog_products p JOIN catalog_skus s USING (product_id) WHERE s.sku = $1 FOR UPDATE OF p`,
        [sku],
      );
      const change = decide(rows[0] && recordOf(rows[0]));
      if (!change) return undefined;
      await saveWith(client, change.record);
      await client.query('INSERT INTO catalog_changes (change_key, product_id, events) VALUES ($1, $2, $3)', [
        changeKey,
        change.record.productId,
        change.events,
      ]);
      return change.events;
    });
  }

  async setStock(sku: string, warehouseId: string, available: number): Promise<number> {
    await this.#pool.query(
      `INSERT INTO catalog_stock (sku, warehouse_id, available) VALUES ($1, $2, $3)
       ON CONFLICT (sku, warehouse_id) DO UPDATE SET available = EXCLUDED.available`,
      [sku, warehouseId, available],
    );
    const { rows } = await this.#pool.query<{ total: string }>(
      'SELECT coalesce(sum(available), 0) AS total FROM catalog_stock WHERE sku = $1',
      [sku],
    );
    return Number(rows[0]!.total);
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function recordOf(row: ProductRow): CatalogRecord {
  return { productId: row.product_id, version: row.version, product: row.document };
}

async function saveWith(client: pg.PoolClient, record: CatalogRecord): Promise<void> {
  await client.query(
    `INSERT INTO catalog_products (product_id, version, document) VALUES ($1, $2, $3)
     ON CONFLICT (product_id) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document`,
    [record.productId, record.version, record.product],
  );
  await client.query('DELETE FROM catalog_skus WHERE product_id = $1', [record.productId]);
  for (const sku of skusOf(record.product)) {
    await client.query(
      'INSERT INTO catalog_skus (sku, product_id) VALUES ($1, $2) ON CONFLICT (sku) DO UPDATE SET product_id = EXCLUDED.product_id',
      [sku, record.productId],
    );
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/** The catalog in the run's PostgreSQL schema on real brokers (closed with the run), in memory otherwise. */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<CatalogHandlerDeps, 'products'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { products: new MemoryCatalogStore() };
  await database.ensureTables(CATALOG_TABLES);
  return { products: new PgCatalogStore(database.pool), [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]() };
}
