/**
 * Product update (catalog -> search) and price update (pricing -> catalog -> checkout, search) end to end on the
 * machine's Redis Streams and PostgreSQL: the catalog and pricing APIs start each flow, the generated consumers
 * run the services' own handlers, and every effect is read back from the services' tables. Also seed 000 §1.3's
 * "verify retry logic" and "verify DLQ routing" on a price the catalog can never show.
 */
import { decodeDeliveryBody, type EventEnvelope } from 'eventwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catalog from '../../generated/catalog/handlers.ts';
import {
  createCatalogPublisher,
  subscriptions as catalogSubscriptions,
  startCatalogConsumer,
} from '../../generated/catalog/index.ts';
import * as checkout from '../../generated/checkout/handlers.ts';
import { createCheckoutPublisher, startCheckoutConsumer } from '../../generated/checkout/index.ts';
import * as pricing from '../../generated/pricing/handlers.ts';
import { createPricingPublisher, startPricingConsumer } from '../../generated/pricing/index.ts';
import { createPromotionPublisher } from '../../generated/promotion/index.ts';
import * as search from '../../generated/search/handlers.ts';
import { createSearchPublisher, startSearchConsumer } from '../../generated/search/index.ts';
import { productCreated, productId } from '../support/catalog-fixtures.ts';
import { eventually, until } from '../support/poll.ts';
import { uniqueTag } from '../support/tags.ts';
import { FlowPlatform } from './platform.ts';

let platform: FlowPlatform;
let catalogApi: ReturnType<typeof catalog.createCatalogApi>;
let pricingApi: ReturnType<typeof pricing.createPricingApi>;
let promotions: ReturnType<typeof createPromotionPublisher>;

beforeAll(async () => {
  platform = await FlowPlatform.open('catalog');
  const runtimes = {
    catalog: platform.runtime('catalog'),
    search: platform.runtime('search'),
    pricing: platform.runtime('pricing'),
    checkout: platform.runtime('checkout'),
  };
  const catalogDeps = {
    publisher: createCatalogPublisher(runtimes.catalog),
    ...(await platform.deps(catalog, 'catalog', 'onPriceUpdated')),
  };
  const pricingDeps = {
    publisher: createPricingPublisher(runtimes.pricing),
    ...(await platform.deps(pricing, 'pricing', 'onPromotionCreated')),
  };
  catalogApi = catalog.createCatalogApi(catalogDeps);
  pricingApi = pricing.createPricingApi(pricingDeps);
  promotions = createPromotionPublisher(platform.runtime('promotion'));
  platform.started(
    await startCatalogConsumer(
      runtimes.catalog,
      platform.recorded('catalog', catalog.createHandlers(catalogDeps)),
    ),
  );
  platform.started(
    await startPricingConsumer(
      runtimes.pricing,
      platform.recorded('pricing', pricing.createHandlers(pricingDeps)),
    ),
  );
  const searchDeps = await platform.deps(search, 'search', 'onProductUpdated');
  platform.started(
    await startSearchConsumer(
      runtimes.search,
      platform.recorded(
        'search',
        search.createHandlers({ publisher: createSearchPublisher(runtimes.search), ...searchDeps }),
      ),
    ),
  );
  const checkoutDeps = await platform.deps(checkout, 'checkout', 'onPriceChanged');
  platform.started(
    await startCheckoutConsumer(
      runtimes.checkout,
      checkout.createHandlers({ publisher: createCheckoutPublisher(runtimes.checkout), ...checkoutDeps }),
    ),
  );
}, 60_000);

afterAll(async () => {
  await platform?.[Symbol.asyncDispose]();
});

type IndexRow = {
  version: number;
  name: string | null;
  status: string | null;
  document: { price: { amount: number } } | null;
};

async function indexed(id: string, version: number): Promise<IndexRow> {
  return eventually(`search_products ${id} at version ${version}`, async () => {
    const [row] = await platform.rows<IndexRow>(
      'SELECT version, name, status, document FROM search_products WHERE product_id = $1',
      [id],
    );
    return row?.version === version ? row : undefined;
  });
}

async function announcements(topic: string): Promise<EventEnvelope<Record<string, unknown>>[]> {
  return (await platform.redis.entries(topic)).map(
    (entry) => decodeDeliveryBody(Buffer.from(entry.fields.data!)) as EventEnvelope<Record<string, unknown>>,
  );
}

describe('product update: catalog -> search on Redis Streams, the index in PostgreSQL', () => {
  it('indexes a new product, re-indexes its change, drops it when it is no longer active; each write announced once', async () => {
    const tag = uniqueTag();
    const id = productId(tag);
    const created = await catalogApi.create(id, productCreated(tag).product, '2026-01-30T09:00:00Z');
    expect(await indexed(id, 1)).toMatchObject({ name: `Classic cotton T-shirt ${tag}`, status: 'active' });

    const renamed = await catalogApi.update(id, { name: `Relaxed T-shirt ${tag}` }, '2026-01-30T09:05:00Z');
    expect(renamed.data.changed_fields).toEqual(['name']);
    expect(await indexed(id, 2)).toMatchObject({ name: `Relaxed T-shirt ${tag}`, status: 'active' });

    const hidden = await catalogApi.update(id, { status: 'inactive' }, '2026-01-30T09:10:00Z');
    expect(await indexed(id, 3)).toMatchObject({ name: null, status: null, document: null });

    // One search.index.updated per write, each a child of the product event it came from.
    const written = await eventually('three index announcements', async () => {
      const found = (await announcements('search.index.updated')).filter((event) =>
        (event.data.product_ids as string[] | undefined)?.includes(id),
      );
      return found.length >= 3 ? found : undefined;
    });
    expect(written.map((event) => [event.data.operation, event.metadata.causation_id])).toEqual([
      ['upsert', created.event_id],
      ['upsert', renamed.event_id],
      ['delete', hidden.event_id],
    ]);
    expect(platform.callsOf('onProductCreated', (event) => event.event_id === created.event_id)).toHaveLength(
      1,
    );
  });

  it('a late, older version never overwrites the index (a replayed product event)', async () => {
    const tag = uniqueTag();
    const id = productId(tag);
    const created = await catalogApi.create(id, productCreated(tag).product, '2026-01-30T09:00:00Z');
    await catalogApi.update(id, { name: `Newer ${tag}` }, '2026-01-30T09:05:00Z');
    await indexed(id, 2);
    // The creation again, as a new event (a replay from the dead-letter topic, say): version 1 < 2.
    const replay = await createCatalogPublisher(
      platform.runtime('catalog-replay'),
    ).publishCatalogProductCreated(created.data);
    await until(
      'replay handled',
      () => platform.callsOf('onProductCreated', (event) => event.event_id === replay.event_id).length === 1,
    );
    expect(await indexed(id, 2)).toMatchObject({ name: `Newer ${tag}` });
  });
});

describe('price update: pricing -> catalog -> checkout and search, in PostgreSQL', () => {
  it('a new base price, then a promotion, reach the displayed price, the open carts and the index', async () => {
    const tag = uniqueTag();
    const id = productId(tag);
    const product = productCreated(tag).product;
    await catalogApi.create(id, product, '2026-01-30T09:00:00Z');
    await indexed(id, 1);

    const priceId = `price_${tag}`;
    const set = await pricingApi.setBasePrice({
      priceId,
      productId: id,
      sku: product.sku,
      basePrice: { amount: 220_000, currency: 'VND' },
      at: '2026-01-30T10:00:00Z',
    });
    expect(set.data).toMatchObject({ sequence: 1, change: 'created', reason: 'manual' });
    const displayed = async (amount: number, version: number) =>
      eventually(`catalog price ${amount}`, async () => {
        const [row] = await platform.rows<{ version: number; document: { price: { amount: number } } }>(
          'SELECT version, document FROM catalog_products WHERE product_id = $1',
          [id],
        );
        return row?.document.price.amount === amount && row.version === version ? row : undefined;
      });
    await displayed(220_000, 2);
    expect((await indexed(id, 2)).document?.price.amount).toBe(220_000);
    const cartPrice = async (amount: number) =>
      until(`checkout reprices ${product.sku} to ${amount}`, async () => {
        const [row] = await platform.rows<{ amount: string }>(
          'SELECT amount FROM sku_prices WHERE sku = $1',
          [product.sku],
        );
        return Number(row?.amount) === amount;
      });
    await cartPrice(220_000);

    // A promotion of 10 % on this product: pricing reprices the record (sequence 2), the catalog shows it.
    await promotions.publishPromotionsPromotionCreated({
      promotion_id: `promo_${tag}`,
      created_at: '2026-01-30T11:00:00Z',
      promotion: {
        name: 'Tet sale',
        status: 'active',
        type: 'percentage',
        discount: { percent: 10 },
        scope: { type: 'products', product_ids: [id] },
        coupon_codes: [],
        starts_at: '2026-01-30T11:00:00Z',
        ends_at: '2026-02-15T00:00:00Z',
      },
    });
    await displayed(198_000, 3);
    await cartPrice(198_000);
    expect((await indexed(id, 3)).document?.price.amount).toBe(198_000);
    const [record] = await platform.rows<{
      sequence: number;
      record: { sale_price: { amount: number }; promotion_id: string };
    }>('SELECT sequence, record FROM pricing_prices WHERE price_id = $1', [priceId]);
    expect(record).toMatchObject({
      sequence: 2,
      record: { sale_price: { amount: 198_000 }, promotion_id: `promo_${tag}` },
    });
    // Each price event changed the product once and was announced once (catalog.price.changed).
    const changes = (await announcements('catalog.price.changed')).filter(
      (event) => event.data.product_id === id,
    );
    expect(
      changes.map((event) => [event.data.version, (event.data.new_price as { amount: number }).amount]),
    ).toEqual([
      [2, 220_000],
      [3, 198_000],
    ]);
  });

  it('verify retry logic and DLQ routing: a price the catalog cannot show is tried maxRetries + 1 times with the contract backoff, then dead-lettered with its reason', async () => {
    const tag = uniqueTag();
    const id = productId(tag);
    const product = productCreated(tag).product;
    await catalogApi.create(id, product, '2026-01-30T09:00:00Z');
    const poison = await pricingApi.setBasePrice({
      priceId: `price_${tag}usd`,
      productId: id,
      sku: product.sku,
      basePrice: { amount: 1_099, currency: 'USD' },
      at: '2026-01-30T10:00:00Z',
    });
    const spec = catalogSubscriptions.onPriceUpdated;
    const deadLetter = await eventually(
      'dead letter in dlq.price-updated',
      async () =>
        (await platform.redis.entries(spec.deadLetter.address)).find(
          (entry) => decodeDeliveryBody(Buffer.from(entry.fields.data!)).event_id === poison.event_id,
        ),
      30_000,
    );
    expect(deadLetter.fields).toMatchObject({
      reason: 'retries-exhausted',
      attempts: String(spec.retry.maxRetries + 1),
    });
    expect(deadLetter.fields.error).toContain('USD');

    const calls = platform.callsOf('onPriceUpdated', (event) => event.event_id === poison.event_id);
    expect(calls.map((call) => call.attempt)).toEqual([1, 2, 3, 4]);
    expect(calls.every((call) => call.error?.includes('is in USD'))).toBe(true);
    const gaps = calls.slice(1).map((call, index) => call.at - calls[index]!.at);
    for (const [index, gap] of gaps.entries())
      expect(gap).toBeGreaterThanOrEqual(spec.retry.delaysMs[index]! - 50);
    // The refused price changed nothing.
    const [row] = await platform.rows<{ version: number }>(
      'SELECT version FROM catalog_products WHERE product_id = $1',
      [id],
    );
    expect(row?.version).toBe(1);
  }, 45_000);
});
