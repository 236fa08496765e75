/** The benchmark payload must be what the benchmarks claim: valid for the contract, about 750 bytes, distinct per event. */
import { describe, expect, it } from 'vitest';
import { orderCreated, orders, validateOrderCreated } from './order-created.ts';

describe('order-created benchmark payload', () => {
  it('is valid for every index the benchmarks use', () => {
    const invalid = orders(4096).filter((order) => !validateOrderCreated(order));
    expect(invalid).toEqual([]);
  });

  it('is about 750 bytes of JSON and differs per event', () => {
    const sizes = orders(100).map((order) => Buffer.byteLength(JSON.stringify(order)));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(700);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(800);
    expect(new Set(orders(100).map((order) => order.order_id)).size).toBe(100);
  });

  it('is checked by the generated validator, formats included', () => {
    expect(validateOrderCreated({ ...orderCreated(1), customer_email: 'not-an-email' })).toBe(false);
    expect(validateOrderCreated.errors?.[0]?.instancePath).toBe('/customer_email');
    expect(validateOrderCreated({ ...orderCreated(1), placed_at: 'yesterday' })).toBe(false);
  });
});
