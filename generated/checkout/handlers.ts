// Created by eventwire from asyncapi/catalog.yaml, asyncapi/checkout.yaml, asyncapi/location.yaml, asyncapi/order.yaml, asyncapi/promotion.yaml as a starting point. This file is yours: eventwire never overwrites it.
import type { HarnessDepsContext } from 'eventwire/harness';
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

export async function createHarnessDeps(_context: HarnessDepsContext): Promise<Pick<CheckoutHandlerDeps, 'carts'>> {
  return { carts: new MemoryCartStore() };
}
