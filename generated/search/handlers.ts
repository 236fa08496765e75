// Created by eventwire from asyncapi/catalog.yaml, asyncapi/search.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type { EventContext } from 'eventwire/runtime';
import type pg from 'pg';
import type { SearchHandlers } from './consumer.ts';
import type { SearchPublisher } from './publisher.ts';
import type { CatalogProductCreated, SearchIndexUpdated } from './types.ts';

type Product = CatalogProductCreated['product'];

/** One product in the search index: the document as the catalog last described it, or a tombstone. */
export interface IndexedProduct {
  readonly productId: string;
  /** The catalog's version of the product this entry reflects: older events never overwrite it. */
  readonly version: number;
  /** Undefined for a tombstone: the product left the results (deleted, or no longer active). */
  readonly document: Product | undefined;
}

/**
 * What writing an entry did: `applied` (it is now the index's entry), `current` (the index holds this very
 * version already: a redelivery) or `stale` (the index holds a newer version; the event is too late).
 */
export type IndexWrite = 'applied' | 'current' | 'stale';

/** The products index (OpenSearch in production; a table here). */
export interface SearchIndex {
  write(entry: IndexedProduct): Promise<IndexWrite>;
}

/** What the search service's handlers act on. */
export interface SearchHandlerDeps {
  /** Publishes the search service's events: `createSearchPublisher(runtime)`. */
  readonly publisher: SearchPublisher;
  readonly index: SearchIndex;
}

/**
 * Event handlers of the search service: the catalog's product events carry the whole document, so indexing
 * needs no call back. Each entry keeps the catalog's version, so a late or replayed event never overwrites a
 * newer one, and a redelivery (same version) announces its write again (`search.index.updated`), so an
 * announcement lost to a crash after the write is made up for. Start them with `startSearchConsumer(runtime,
 * createHandlers({ publisher: createSearchPublisher(runtime), index }))`; `eventwire test` runs the same factory.
 */
export function createHandlers(deps: SearchHandlerDeps): SearchHandlers {
  const write = async (entry: IndexedProduct, at: string, context: EventContext) => {
    const started = Date.now();
    if ((await deps.index.write(entry)) === 'stale') return;
    const announcement: SearchIndexUpdated = {
      index: 'products',
      operation: entry.document ? 'upsert' : 'delete',
      document_count: 1,
      product_ids: [entry.productId],
      duration_ms: Date.now() - started,
      updated_at: at,
    };
    await deps.publisher.publishSearchIndexUpdated(announcement, context.follow);
  };
  return {
    /** Indexes a new product; a draft is not shown yet (it is indexed when an update makes it active). */
    async onProductCreated(event, context) {
      const { product_id, version, product, created_at } = event.data;
      if (product.status === 'draft') return;
      await write({ productId: product_id, version, document: searchable(product) }, created_at, context);
    },
    async onProductUpdated(event, context) {
      const { product_id, version, product, updated_at } = event.data;
      await write({ productId: product_id, version, document: searchable(product) }, updated_at, context);
    },
    async onProductDeleted(event, context) {
      const { product_id, version, deleted_at } = event.data;
      await write({ productId: product_id, version, document: undefined }, deleted_at, context);
    },
  };
}

/** Only active products are shown: anything else is a tombstone in the index. */
function searchable(product: Product): Product | undefined {
  return product.status === 'active' ? product : undefined;
}

function compare(held: IndexedProduct | undefined, entry: IndexedProduct): IndexWrite {
  if (!held || held.version < entry.version) return 'applied';
  return held.version === entry.version ? 'current' : 'stale';
}

export class MemorySearchIndex implements SearchIndex {
  readonly entries = new Map<string, IndexedProduct>();

  async write(entry: IndexedProduct): Promise<IndexWrite> {
    const outcome = compare(this.entries.get(entry.productId), entry);
    if (outcome === 'applied') this.entries.set(entry.productId, entry);
    return outcome;
  }
}

/** The search index table (a migration in production, created per run under the harness). */
export const SEARCH_TABLES = `
CREATE TABLE IF NOT EXISTS search_products (
  product_id text PRIMARY KEY, version integer NOT NULL, document jsonb, name text, sku text, status text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;

/**
 * The index in PostgreSQL: one row per product, replaced only by a newer version (one conditional upsert, so
 * concurrent writers of one product cannot both win).
 */
export class PgSearchIndex implements SearchIndex {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async write(entry: IndexedProduct): Promise<IndexWrite> {
    const document = entry.document ?? null;
    const written = await this.#pool.query(
      `INSERT INTO search_products (product_id, version, document, name, sku, status)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (product_id) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document,
         name = EXCLUDED.name, sku = EXCLUDED.sku, status = EXCLUDED.status, updated_at = now()
       WHERE search_products.version < EXCLUDED.version`,
      [entry.productId, entry.version, document, document?.name ?? null, document?.sku ?? null, document?.status ?? null],
    );
    if (written.rowCount === 1) return 'applied';
    const held = await this.#pool.query<{ version: number }>('SELECT version FROM search_products WHERE product_id = $1', [
      entry.productId,
    ]);
    return held.rows[0]?.version === entry.version ? 'current' : 'stale';
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/** The index in the run's PostgreSQL schema on real brokers (closed with the run), in memory otherwise. */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<SearchHandlerDeps, 'index'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { index: new MemorySearchIndex() };
  await database.ensureTables(SEARCH_TABLES);
  return { index: new PgSearchIndex(database.pool), [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]() };
}
