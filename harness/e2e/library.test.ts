/**
 * `eventwire/harness` as a team uses it in its own test file: the same properties as `eventwire test`, plus an
 * assertion on the service's own effects after every run (here a read-back of the order service's order book).
 * The read-back can fail a run by itself: a handler that places an order twice is caught by it.
 */
import { describe, expect, it } from 'vitest';
import { MemoryOrderBook, orderIdOf } from '../../generated/order/handlers.ts';
import type { CheckoutCartCheckedOut, OrdersOrderCreated } from '../../generated/order/types.ts';
import { assertHolds, testSubscription } from '../index.ts';
import { REPO_ROOT } from '../test/targets.ts';

/** The orders of a run's book, each counted as many times as it was placed. */
class CountingBook extends MemoryOrderBook {
  readonly placed = new Map<string, number>();
  override async place(order: OrdersOrderCreated): Promise<boolean> {
    this.placed.set(order.order_id, (this.placed.get(order.order_id) ?? 0) + 1);
    return super.place(order);
  }
}

describe("eventwire/harness in a team's own test file", () => {
  it("runs the same properties and a read-back of the service's own order book after every run", async () => {
    const books = new Map<string, CountingBook>();
    let readBacks = 0;
    const result = await testSubscription({
      root: REPO_ROOT,
      service: 'order',
      operation: 'onCartCheckedOut',
      runs: 60,
      seed: 21,
      faults: ['duplicate', 'redelivery', 'crash-after-commit', 'connection-drop', 'lost-confirm'],
      handlerDeps: (runId) => ({ orders: books.set(runId, new CountingBook()).get(runId)! }),
      afterRun: ({ plan, history }) => {
        readBacks++;
        const book = books.get(plan.runId)!;
        // Every cart whose handler finished has its order in the book, and the book has no other order.
        const handled = new Set(
          history.flatMap((entry) =>
            entry.type === 'handler-finished' && entry.ok && entry.event ? [entry.event] : [],
          ),
        );
        const expected = new Set(
          [...handled].map((ref) => {
            const cart = plan.events.get(ref)!.payload as CheckoutCartCheckedOut;
            return orderIdOf(cart.cart_id, cart.checked_out_at);
          }),
        );
        const stored = new Set(book.orders.keys());
        if ([...expected].some((id) => !stored.has(id)) || stored.size !== expected.size) {
          throw new Error(
            `order book holds ${[...stored].join(', ')}; handled carts make ${[...expected].join(', ')}`,
          );
        }
      },
    });
    assertHolds(result);
    expect(readBacks).toBeGreaterThanOrEqual(60);
  }, 60_000);

  it('a failing read-back fails the run and shrinks to a minimal schedule', async () => {
    const books = new Map<string, CountingBook>();
    const result = await testSubscription({
      root: REPO_ROOT,
      service: 'order',
      operation: 'onCartCheckedOut',
      runs: 100,
      seed: 21,
      faults: ['crash-after-handler'],
      handlerDeps: (runId) => ({ orders: books.set(runId, new CountingBook()).get(runId)! }),
      // Stricter than the contract (a crash between the effect and the commit repeats the effect on Redis):
      // the team asks for once-only orders, so the read-back finds the repeat.
      afterRun: ({ plan }) => {
        const twice = [...books.get(plan.runId)!.placed].filter(([, times]) => times > 1);
        if (twice.length > 0) throw new Error('an order was placed twice');
      },
    });
    expect(result.ok).toBe(false);
    expect(result.failure?.error).toBe('an order was placed twice');
    expect(result.failure?.steps.slice(0, 2)).toEqual([
      { kind: 'crash', point: 'after-handler' },
      { kind: 'publish', event: 'e1', payload: 0 },
    ]);
    expect(() => assertHolds(result)).toThrow(
      /replay: npx eventwire test order\/onCartCheckedOut --brokers memory --faults crash-after-handler --seed 21 --path/,
    );
  }, 60_000);
});
