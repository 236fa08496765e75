/**
 * The behaviour every IdempotencyStore must have, run against each implementation. `instances(n)` returns n
 * store instances standing for n consumer processes (each with its own connection where that applies).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IdempotencyStore } from './store.ts';

export interface StoreHarness {
  instances(count: number): IdempotencyStore[];
  /** Let real time pass (leases are real-time in Redis and PostgreSQL). */
  wait(ms: number): Promise<void>;
}

export function idempotencyContract(name: string, harness: () => StoreHarness): void {
  describe(`${name}: idempotency store contract`, () => {
    const key = () => `order:${randomUUID()}`;

    it('claim -> commit -> duplicate', async () => {
      const [store] = harness().instances(1);
      const k = key();
      expect(await store!.claim(k, 10_000)).toBe('claimed');
      expect(await store!.commit(k, 60_000)).toBe('committed');
      expect(await store!.claim(k, 10_000)).toBe('duplicate');
    });

    it('a live claim makes other consumers see in-progress', async () => {
      const [a, b] = harness().instances(2);
      const k = key();
      expect(await a!.claim(k, 10_000)).toBe('claimed');
      expect(await b!.claim(k, 10_000)).toBe('in-progress');
    });

    it('release after a failure lets the next delivery claim again', async () => {
      const [a, b] = harness().instances(2);
      const k = key();
      await a!.claim(k, 10_000);
      await a!.release(k);
      expect(await b!.claim(k, 10_000)).toBe('claimed');
    });

    it('release by a non-owner does not drop the owner claim', async () => {
      const [a, b] = harness().instances(2);
      const k = key();
      await a!.claim(k, 10_000);
      await b!.release(k);
      expect(await b!.claim(k, 10_000)).toBe('in-progress');
    });

    it('exactly one of many concurrent claims wins', async () => {
      const stores = harness().instances(8);
      for (let round = 0; round < 5; round++) {
        const k = key();
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) => stores[i % stores.length]!.claim(k, 10_000)),
        );
        expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
        expect(results.filter((result) => result === 'in-progress')).toHaveLength(39);
      }
    });

    it('a crashed consumer claim expires with its lease and can be re-claimed; the late commit is refused', async () => {
      const h = harness();
      const [crashed, survivor] = h.instances(2);
      const k = key();
      expect(await crashed!.claim(k, 300)).toBe('claimed');
      expect(await survivor!.claim(k, 10_000)).toBe('in-progress');
      await h.wait(600);
      expect(await survivor!.claim(k, 10_000)).toBe('claimed');
      // The "crashed" one wakes up and tries to commit over the new owner: refused.
      expect(await crashed!.commit(k, 60_000)).toBe('lease-lost');
      expect(await survivor!.commit(k, 60_000)).toBe('committed');
      expect(await crashed!.claim(k, 10_000)).toBe('duplicate');
    });

    it('commit after an expired but untaken lease still marks the work done', async () => {
      const h = harness();
      const [store, other] = h.instances(2);
      const k = key();
      await store!.claim(k, 200);
      await h.wait(400);
      expect(await store!.commit(k, 60_000)).toBe('committed');
      expect(await other!.claim(k, 10_000)).toBe('duplicate');
    });

    it('the processed mark expires with its TTL', async () => {
      const h = harness();
      const [store] = h.instances(1);
      const k = key();
      await store!.claim(k, 10_000);
      await store!.commit(k, 300);
      expect(await store!.claim(k, 10_000)).toBe('duplicate');
      await h.wait(600);
      expect(await store!.claim(k, 10_000)).toBe('claimed');
    });
  });
}
