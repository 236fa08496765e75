/**
 * In-process idempotency store: the same protocol as the Redis store, for tests and single-instance tools.
 * Guarantee: once per key within one process only; marks vanish with the process.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../clock.ts';
import type { ClaimResult, CommitResult, IdempotencyStore } from './store.ts';

interface Entry {
  readonly state: 'claimed' | 'done';
  readonly token: string;
  readonly expiresAt: number;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly kind = 'memory' as const;
  #entries = new Map<string, Entry>();
  /** The token of each claim this instance holds. */
  readonly #owned = new Map<string, string>();
  readonly #clock: Clock;

  constructor(options: { readonly clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  /** Another owner over the same entries: a second consumer in the same process, with its own claims. */
  asOwner(): MemoryIdempotencyStore {
    const other = new MemoryIdempotencyStore({ clock: this.#clock });
    other.#entries = this.#entries;
    return other;
  }

  async claim(key: string, leaseMs: number): Promise<ClaimResult> {
    const entry = this.#live(key);
    if (entry) return entry.state === 'done' ? 'duplicate' : 'in-progress';
    const token = randomUUID();
    this.#entries.set(key, { state: 'claimed', token, expiresAt: this.#clock.now() + leaseMs });
    this.#owned.set(key, token);
    return 'claimed';
  }

  async commit(key: string, ttlMs: number): Promise<CommitResult> {
    const token = this.#owned.get(key);
    this.#owned.delete(key);
    const entry = this.#live(key);
    if (entry && !(entry.state === 'claimed' && entry.token === token)) return 'lease-lost';
    this.#entries.set(key, { state: 'done', token: token ?? '', expiresAt: this.#clock.now() + ttlMs });
    return 'committed';
  }

  async release(key: string): Promise<void> {
    const token = this.#owned.get(key);
    this.#owned.delete(key);
    const entry = this.#entries.get(key);
    if (entry?.state === 'claimed' && entry.token === token) this.#entries.delete(key);
  }

  /** Entries currently stored (expired ones are dropped lazily). */
  get size(): number {
    this.#sweep();
    return this.#entries.size;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.#clock.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    if (this.#entries.size > 10_000 && Math.random() < 0.001) this.#sweep();
    return entry;
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
