// Created by eventwire from asyncapi/pricing.yaml, asyncapi/promotion.yaml, asyncapi/warehouse.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type pg from 'pg';
import type { PricingHandlers } from './consumer.ts';
import type { PricingPublisher } from './publisher.ts';
import type { Money, PricingPriceUpdated, PromotionsPromotionCreated } from './types.ts';

/** A price record is its latest `pricing.price.updated`: the event carries the whole record. */
export type PriceRecord = PricingPriceUpdated;

/** The discount a promotion gives, as pricing applies it. */
export interface DiscountRule {
  readonly promotionId: string;
  readonly active: boolean;
  readonly percent?: number;
  readonly amount?: Money;
  readonly maxDiscount?: Money;
  /** The products it covers; `all` for a store-wide promotion. */
  readonly productIds: readonly string[] | 'all';
}

/** Price records, discount rules and the stock levels dynamic rules read. */
export interface PricingStore {
  saveRule(rule: DiscountRule): Promise<void>;
  /** Marks a promotion's rule inactive (a rule never seen stays unknown). */
  retireRule(promotionId: string): Promise<void>;
  /**
   * Decides new price records once per `changeKey` (the triggering event), under the price book's lock:
   * `decide` gets every price record and every rule and answers the records that change (one more in their
   * sequence); the store saves them with the change. A redelivery gets the records decided the first time.
   */
  reprice(
    changeKey: string,
    decide: (prices: readonly PriceRecord[], rules: readonly DiscountRule[]) => PriceRecord[],
  ): Promise<PriceRecord[]>;
  /** Keeps the newest stock level of an inventory record (by its sequence). */
  setStock(inventoryId: string, sequence: number, sku: string, available: number): Promise<void>;
}

/** What the pricing service's handlers act on. */
export interface PricingHandlerDeps {
  /** Publishes the pricing service's events: `createPricingPublisher(runtime)`. */
  readonly publisher: PricingPublisher;
  readonly prices: PricingStore;
}

type Reason = PricingPriceUpdated['reason'];

/**
 * Event handlers of the pricing service: promotions become discount rules, and every change of the rules
 * reprices the records they cover (`pricing.price.updated`, which the catalog shows). Start them with
 * `startPricingConsumer(runtime, createHandlers({ publisher: createPricingPublisher(runtime), prices }))`;
 * `eventwire test` runs the same factory.
 */
export function createHandlers(deps: PricingHandlerDeps): PricingHandlers {
  const reprice = async (
    changeKey: string,
    at: string,
    reason: Reason,
    inScope: (price: PriceRecord) => boolean,
    follow: object,
  ) => {
    const changed = await deps.prices.reprice(changeKey, (prices, rules) =>
      prices.filter(inScope).flatMap((price) => {
        const next = discounted(price, rules, at, reason);
        return next ? [next] : [];
      }),
    );
    for (const price of changed) await deps.publisher.publishPricingPriceUpdated(price, follow);
  };
  const all = () => true;
  return {
    async onPriceRecalculationRequested(event, context) {
      const { scope, requested_at } = event.data;
      const inScope = (price: PriceRecord) =>
        scope.type === 'products'
          ? (scope.product_ids ?? []).includes(price.product_id)
          : scope.type === 'warehouse'
            ? price.warehouse_id === undefined || price.warehouse_id === scope.warehouse_id
            : true; // 'all', and 'category': pricing does not know categories, so it recomputes everything
      await reprice(event.event_id, requested_at, 'recalculation', inScope, context.follow);
    },
    async onPromotionCreated(event, context) {
      await deps.prices.saveRule(ruleOf(event.data.promotion_id, event.data.promotion));
      await reprice(event.event_id, event.data.created_at, 'promotion', all, context.follow);
    },
    async onPromotionUpdated(event, context) {
      await deps.prices.saveRule(ruleOf(event.data.promotion_id, event.data.promotion));
      await reprice(event.event_id, event.data.updated_at, 'promotion', all, context.follow);
    },
    async onPromotionExpired(event, context) {
      await deps.prices.retireRule(event.data.promotion_id);
      await reprice(event.event_id, event.data.expired_at, 'promotion', all, context.follow);
    },
    /** Keeps the stock level for the dynamic pricing rules (the demo platform configures none). */
    async onWarehouseStockChanged(event) {
      const { inventory_id, sequence, sku, available } = event.data;
      await deps.prices.setStock(inventory_id, sequence, sku, available);
    },
  };
}

function ruleOf(promotionId: string, promotion: PromotionsPromotionCreated['promotion']): DiscountRule {
  const { discount, scope, max_discount } = promotion;
  return {
    promotionId,
    // Free shipping and buy-x-get-y change no price: their rules never apply here.
    active: promotion.status === 'active' && (promotion.type === 'percentage' || promotion.type === 'fixed_amount'),
    ...(promotion.type === 'percentage' && discount?.percent !== undefined ? { percent: discount.percent } : {}),
    ...(promotion.type === 'fixed_amount' && discount?.amount ? { amount: discount.amount } : {}),
    ...(max_discount ? { maxDiscount: max_discount } : {}),
    // Pricing does not know categories: a category promotion is priced at checkout, not here.
    productIds: scope.type === 'all' ? 'all' : scope.type === 'products' ? (scope.product_ids ?? []) : [],
  };
}

/** The record with the best active discount applied, or undefined when its sale price stays as it is. */
function discounted(price: PriceRecord, rules: readonly DiscountRule[], at: string, reason: Reason): PriceRecord | undefined {
  let best: { sale: Money; promotionId: string } | undefined;
  for (const rule of rules) {
    if (!rule.active || (rule.productIds !== 'all' && !rule.productIds.includes(price.product_id))) continue;
    const off = discountOf(price.base_price, rule);
    if (off > 0 && (!best || price.base_price.amount - off < best.sale.amount)) {
      best = { sale: { amount: price.base_price.amount - off, currency: price.base_price.currency }, promotionId: rule.promotionId };
    }
  }
  if (best?.sale.amount === price.sale_price?.amount && best?.promotionId === price.promotion_id) return undefined;
  const { sale_price: _sale, promotion_id: _promotion, effective_until: _until, ...regular } = price;
  return {
    ...regular,
    sequence: price.sequence + 1,
    change: 'updated',
    ...(best ? { sale_price: best.sale, promotion_id: best.promotionId } : {}),
    reason: best ? 'promotion' : reason,
    effective_from: at,
    updated_at: at,
  };
}

function discountOf(base: Money, rule: DiscountRule): number {
  let off = 0;
  if (rule.percent !== undefined) off = Math.round((base.amount * rule.percent) / 100);
  else if (rule.amount && rule.amount.currency === base.currency) off = rule.amount.amount;
  if (rule.maxDiscount && rule.maxDiscount.currency === base.currency) off = Math.min(off, rule.maxDiscount.amount);
  return Math.max(0, Math.min(off, base.amount));
}

/** The pricing service's API (merchants set base prices): creates or changes a record and announces it. */
export function createPricingApi(deps: PricingHandlerDeps) {
  return {
    async setBasePrice(input: { priceId: string; productId: string; sku: string; basePrice: Money; at: string }) {
      const [record] = await deps.prices.reprice(`base:${input.priceId}:${input.at}`, (prices) => {
        const held = prices.find((price) => price.price_id === input.priceId);
        const { sale_price: _sale, promotion_id: _promotion, ...regular } = held ?? ({} as Partial<PriceRecord>);
        return [
          {
            ...regular,
            price_id: input.priceId,
            sequence: (held?.sequence ?? 0) + 1,
            change: held ? 'updated' : 'created',
            product_id: input.productId,
            sku: input.sku,
            base_price: input.basePrice,
            reason: 'manual',
            effective_from: input.at,
            updated_at: input.at,
          },
        ];
      });
      return deps.publisher.publishPricingPriceUpdated(record!);
    },
  };
}

export class MemoryPricingStore implements PricingStore {
  readonly prices = new Map<string, PriceRecord>();
  readonly rules = new Map<string, DiscountRule>();
  readonly changes = new Map<string, PriceRecord[]>();
  readonly stock = new Map<string, { sequence: number; sku: string; available: number }>();

  async saveRule(rule: DiscountRule): Promise<void> {
    this.rules.set(rule.promotionId, rule);
  }

  async retireRule(promotionId: string): Promise<void> {
    const rule = this.rules.get(promotionId);
    if (rule) this.rules.set(promotionId, { ...rule, active: false });
  }

  async reprice(
    changeKey: string,
    decide: (prices: readonly PriceRecord[], rules: readonly DiscountRule[]) => PriceRecord[],
  ): Promise<PriceRecord[]> {
    const decided = this.changes.get(changeKey);
    if (decided) return decided;
    const changed = decide([...this.prices.values()], [...this.rules.values()]);
    for (const price of changed) this.prices.set(price.price_id, price);
    this.changes.set(changeKey, changed);
    return changed;
  }

  async setStock(inventoryId: string, sequence: number, sku: string, available: number): Promise<void> {
    if ((this.stock.get(inventoryId)?.sequence ?? 0) < sequence) this.stock.set(inventoryId, { sequence, sku, available });
  }
}

/** The pricing service's tables (a migration in production, created per run under the harness). */
export const PRICING_TABLES = `
CREATE TABLE IF NOT EXISTS pricing_prices (price_id text PRIMARY KEY, sku text NOT NULL, sequence integer NOT NULL, record jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS pricing_rules (promotion_id text PRIMARY KEY, rule jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS pricing_changes (change_key text PRIMARY KEY, records jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS pricing_stock (inventory_id text PRIMARY KEY, sku text NOT NULL, sequence integer NOT NULL, available integer NOT NULL);
`;

/** The price book in PostgreSQL: a repricing, its records and its change key commit in one transaction. */
export class PgPricingStore implements PricingStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async saveRule(rule: DiscountRule): Promise<void> {
    await this.#pool.query(
      'INSERT INTO pricing_rules (promotion_id, rule) VALUES ($1, $2) ON CONFLICT (promotion_id) DO UPDATE SET rule = EXCLUDED.rule',
      [rule.promotionId, rule],
    );
  }

  async retireRule(promotionId: string): Promise<void> {
    await this.#pool.query(`UPDATE pricing_rules SET rule = jsonb_set(rule, '{active}', 'false') WHERE promotion_id = $1`, [
      promotionId,
    ]);
  }

  async reprice(
    changeKey: string,
    decide: (prices: readonly PriceRecord[], rules: readonly DiscountRule[]) => PriceRecord[],
  ): Promise<PriceRecord[]> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      // One repricing at a time: each record's sequence moves by exactly one per change.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('pricing-book'))`);
      const decided = await client.query<{ records: PriceRecord[] }>('SELECT records FROM pricing_changes WHERE change_key = $1', [
        changeKey,
      ]);
      let changed = decided.rows[0]?.records;
      if (!changed) {
        const prices = await client.query<{ record: PriceRecord }>('SELECT record FROM pricing_prices ORDER BY price_id');
        const rules = await client.query<{ rule: DiscountRule }>('SELECT rule FROM pricing_rules ORDER BY promotion_id');
        changed = decide(
          prices.rows.map((row) => row.record),
          rules.rows.map((row) => row.rule),
        );
        for (const price of changed) {
          await client.query(
            `INSERT INTO pricing_prices (price_id, sku, sequence, record) VALUES ($1, $2, $3, $4)
             ON CONFLICT (price_id) DO UPDATE SET sku = EXCLUDED.sku, sequence = EXCLUDED.sequence, record = EXCLUDED.record`,
            [price.price_id, price.sku, price.sequence, price],
          );
        }
        await client.query('INSERT INTO pricing_changes (change_key, records) VALUES ($1, $2)', [changeKey, JSON.stringify(changed)]);
      }
      await client.query('COMMIT');
      return changed;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async setStock(inventoryId: string, sequence: number, sku: string, available: number): Promise<void> {
    await this.#pool.query(
      `INSERT INTO pricing_stock (inventory_id, sku, sequence, available) VALUES ($1, $2, $3, $4)
       ON CONFLICT (inventory_id) DO UPDATE SET sequence = EXCLUDED.sequence, available = EXCLUDED.available
       WHERE pricing_stock.sequence < EXCLUDED.sequence`,
      [inventoryId, sku, sequence, available],
    );
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/** The price book in the run's PostgreSQL schema on real brokers (closed with the run), in memory otherwise. */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<PricingHandlerDeps, 'prices'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { prices: new MemoryPricingStore() };
  await database.ensureTables(PRICING_TABLES);
  return { prices: new PgPricingStore(database.pool), [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]() };
}
