/**
 * Idempotency stores turn at-least-once delivery into once-per-key processing.
 *
 * Protocol (the consumer pipeline drives it):
 *   claim(key, leaseMs)  atomically take the key for `leaseMs`:
 *                        'claimed'     you own it: run the handler, then commit or release;
 *                        'duplicate'   it was already processed (committed within its TTL): acknowledge;
 *                        'in-progress' someone else holds a live claim: redeliver later.
 *   commit(key, ttlMs)   mark done for `ttlMs`, only if the claim is still yours (checked atomically).
 *   release(key)         drop your claim after a failure so the next delivery can claim again.
 *
 * A claim whose owner crashed expires with its lease and can be claimed again. Claims are tracked per store
 * instance (the owner's token), so one instance plays the part of one consumer process.
 */

export type ClaimResult = 'claimed' | 'duplicate' | 'in-progress';

/** 'lease-lost': the claim expired and another owner took it before the commit; the mark was not written. */
export type CommitResult = 'committed' | 'lease-lost';

export type IdempotencyStoreKind = 'redis' | 'postgres' | 'memory';

export interface IdempotencyStore {
  readonly kind: IdempotencyStoreKind;
  claim(key: string, leaseMs: number): Promise<ClaimResult>;
  commit(key: string, ttlMs: number): Promise<CommitResult>;
  release(key: string): Promise<void>;
}

/** 24 hours: how long a processed mark is kept when the contract does not say. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
