// Created by eventwire from asyncapi/catalog.yaml, asyncapi/checkout.yaml, asyncapi/location.yaml, asyncapi/order.yaml, asyncapi/promotion.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
import type pg from 'pg';
import type { CheckoutHandlers } from './consumer.ts';
import type { CheckoutPublisher } from './publisher.ts';

/** The carts the checkout service keeps: which are closed by an order, their prices, coupons, addresses. */
export interface CartStore {
  close(cartId: string, orderId: string): Promise<void>;
  reprice(sku: string, amount: number, currency: string): Promise<void>;
  dropCoupon(code: string): Promise<void>;
  markAddressValidated(addressId: string, deliverable: boolean): Promise<void>;
}

/** What the checkout service's handlers act on. */
export interface CheckoutHandlerDeps {
  /** Publishes the checkout service's events: `createCheckoutPublisher(runtime)`. */
  readonly publisher: CheckoutPublisher;
  readonly carts: CartStore;
}

/**
 * Event handlers of the checkout service. Start them with `startCheckoutConsumer(runtime, createHandlers({
 * publisher: createCheckoutPublisher(runtime), carts }))`; `eventwire test` runs the same factory under faults.
 */
export function createHandlers(deps: CheckoutHandlerDeps): CheckoutHandlers {
  return {
    async onAddressValidated(event) {
      await deps.carts.markAddressValidated(event.data.address_id, event.data.status !== 'invalid');
    },
    /** The cart became an order: it is closed and can no longer be checked out again. */
    async onOrderCreated(event) {
      await deps.carts.close(event.data.cart_id, event.data.order_id);
    },
    async onPriceChanged(event) {
      await deps.carts.reprice(event.data.sku, event.data.new_price.amount, event.data.new_price.currency);
    },
    async onPromotionExpired(event) {
      for (const code of event.data.coupon_codes) await deps.carts.dropCoupon(code);
    },
  };
}

export class MemoryCartStore implements CartStore {
  readonly closed = new Map<string, string>();
  readonly prices = new Map<string, { amount: number; currency: string }>();
  readonly expiredCoupons = new Set<string>();
  readonly addresses = new Map<string, boolean>();

  async close(cartId: string, orderId: string): Promise<void> {
    this.closed.set(cartId, orderId);
  }

  async reprice(sku: string, amount: number, currency: string): Promise<void> {
    this.prices.set(sku, { amount, currency });
  }

  async dropCoupon(code: string): Promise<void> {
    this.expiredCoupons.add(code);
  }

  async markAddressValidated(addressId: string, deliverable: boolean): Promise<void> {
    this.addresses.set(addressId, deliverable);
  }
}

/** The checkout service's tables (a migration in production, created per run under the harness). */
export const CHECKOUT_TABLES = `
CREATE TABLE IF NOT EXISTS closed_carts (cart_id text PRIMARY KEY, order_id text NOT NULL);
CREATE TABLE IF NOT EXISTS sku_prices (sku text PRIMARY KEY, amount bigint NOT NULL, currency text NOT NULL);
CREATE TABLE IF NOT EXISTS expired_coupons (code text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS validated_addresses (address_id text PRIMARY KEY, deliverable boolean NOT NULL);
`;

/** The cart store in PostgreSQL: every write is an upsert by its natural key, so a redelivery changes nothing. */
export class PgCartStore implements CartStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async close(cartId: string, orderId: string): Promise<void> {
    await this.#pool.query(
      'INSERT INTO closed_carts (cart_id, order_id) VALUES ($1, $2) ON CONFLICT (cart_id) DO UPDATE SET order_id = EXCLUDED.order_id',
      [cartId, orderId],
    );
  }

  async reprice(sku: string, amount: number, currency: string): Promise<void> {
    await this.#pool.query(
      `INSERT INTO sku_prices (sku, amount, currency) VALUES ($1, $2, $3)
       ON CONFLICT (sku) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency`,
      [sku, amount, currency],
    );
  }

  async dropCoupon(code: string): Promise<void> {
    await this.#pool.query('INSERT INTO expired_coupons (code) VALUES ($1) ON CONFLICT (code) DO NOTHING', [code]);
  }

  async markAddressValidated(addressId: string, deliverable: boolean): Promise<void> {
    await this.#pool.query(
      `INSERT INTO validated_addresses (address_id, deliverable) VALUES ($1, $2)
       ON CONFLICT (address_id) DO UPDATE SET deliverable = EXCLUDED.deliverable`,
      [addressId, deliverable],
    );
  }
}

/** Brokers `createHarnessDeps` uses besides the contract's: real-broker runs give it a PostgreSQL schema. */
export const harnessBrokers = ['postgres'] as const;

/** The cart store in the run's PostgreSQL schema on real brokers (closed with the run), in memory otherwise. */
export async function createHarnessDeps(
  context: HarnessDepsContext,
): Promise<Pick<CheckoutHandlerDeps, 'carts'> & Partial<AsyncDisposable>> {
  const { runDatabase } = await import('eventwire/harness');
  const database = await runDatabase(context);
  if (!database) return { carts: new MemoryCartStore() };
  await database.ensureTables(CHECKOUT_TABLES);
  return { carts: new PgCartStore(database.pool), [Symbol.asyncDispose]: () => database[Symbol.asyncDispose]() };
}
