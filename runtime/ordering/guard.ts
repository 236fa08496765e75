/**
 * The ordering guard of the consumer pipeline, for channels that declare a partition key and a sequence.
 *
 *   sequence <= last      stale repeat: acknowledge and drop;
 *   sequence == last + 1  its turn: process;
 *   sequence >  last + 1  ahead of a missing predecessor: hold (not acknowledged) until the predecessor is
 *                         processed, or give up after the buffer timeout (the pipeline dead-letters it).
 *
 * With no recorded sequence for a key, `last` is `firstSequence - 1` (sequences start at 1 by default), so an
 * entity's second event arriving before its first is held rather than taken as the start.
 * Held events wake on a local `complete` of the same key, and also re-read the store every `pollIntervalMs`,
 * so a predecessor processed by another instance releases them too.
 */
import { type Clock, systemClock, type TimerId } from '../clock.ts';
import type { OrderingPosition } from '../consume/keys.ts';
import type { OrderingStore } from './store.ts';

export type OrderingVerdict = 'ready' | 'stale' | 'ahead';
export type OrderingWait = 'ready' | 'stale' | 'timeout' | 'aborted';

export interface OrderingGuardOptions {
  /** Prefix for store keys: service and subscription, so subscriptions keep separate positions. */
  readonly namespace: string;
  readonly clock?: Clock;
  readonly pollIntervalMs?: number;
  readonly firstSequence?: number;
  /** How long an event may wait for its predecessor (the contract's bufferTimeout; default 5 min). */
  readonly bufferTimeoutMs?: number;
}

export class OrderingGuard {
  readonly #store: OrderingStore;
  readonly #namespace: string;
  readonly #clock: Clock;
  readonly #pollIntervalMs: number;
  readonly #firstSequence: number;
  readonly #bufferTimeoutMs: number;
  readonly #waiters = new Map<string, Set<() => void>>();
  /** When each out-of-order position was first seen here: its buffer deadline survives redeliveries. */
  readonly #firstSeen = new Map<string, number>();
  #held = 0;

  constructor(store: OrderingStore, options: OrderingGuardOptions) {
    this.#store = store;
    this.#namespace = options.namespace;
    this.#clock = options.clock ?? systemClock;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#firstSequence = options.firstSequence ?? 1;
    this.#bufferTimeoutMs = options.bufferTimeoutMs ?? 300_000;
  }

  get bufferTimeoutMs(): number {
    return this.#bufferTimeoutMs;
  }

  /** The buffer deadline (clock ms) of an out-of-order position, counted from when it was first seen. */
  deadline(position: OrderingPosition): number {
    const id = `${this.#storeKey(position)}#${position.sequence}`;
    let first = this.#firstSeen.get(id);
    if (first === undefined) {
      first = this.#clock.now();
      if (this.#firstSeen.size >= 100_000) this.#sweep();
      this.#firstSeen.set(id, first);
    }
    return first + this.#bufferTimeoutMs;
  }

  /** Drop the position's buffer deadline once it was processed, dropped or dead-lettered. */
  forget(position: OrderingPosition): void {
    this.#firstSeen.delete(`${this.#storeKey(position)}#${position.sequence}`);
  }

  /** Events currently held waiting for a predecessor. */
  get held(): number {
    return this.#held;
  }

  async lastProcessed(position: OrderingPosition): Promise<number> {
    const last = await this.#store.last(this.#storeKey(position));
    return last ?? this.#firstSequence - 1;
  }

  async check(position: OrderingPosition): Promise<OrderingVerdict> {
    const last = await this.lastProcessed(position);
    if (position.sequence <= last) return 'stale';
    return position.sequence === last + 1 ? 'ready' : 'ahead';
  }

  /** Hold until it is this position's turn, the deadline (clock ms) passes, or `signal` aborts. */
  async waitForTurn(
    position: OrderingPosition,
    deadline: number,
    signal?: AbortSignal,
  ): Promise<OrderingWait> {
    const storeKey = this.#storeKey(position);
    this.#held++;
    try {
      for (;;) {
        // Subscribe before reading so an advance between the read and the wait is not missed.
        const wake = this.#nextAdvance(storeKey);
        const verdict = await this.check(position);
        const remaining = deadline - this.#clock.now();
        if (verdict !== 'ahead' || remaining <= 0 || signal?.aborted) {
          wake.cancel();
          if (verdict !== 'ahead') return verdict;
          return signal?.aborted ? 'aborted' : 'timeout';
        }
        const woke = await this.#waitAny(wake, Math.min(this.#pollIntervalMs, remaining), signal);
        if (woke === 'aborted') return 'aborted';
      }
    } finally {
      this.#held--;
    }
  }

  /** Record the position as processed and wake events held on the same key. */
  async complete(position: OrderingPosition): Promise<void> {
    const storeKey = this.#storeKey(position);
    await this.#store.advance(storeKey, position.sequence);
    const waiters = this.#waiters.get(storeKey);
    if (!waiters) return;
    this.#waiters.delete(storeKey);
    for (const wake of waiters) wake();
  }

  /** Positions redelivered to another instance never come back here: drop deadlines long past. */
  #sweep(): void {
    const expired = this.#clock.now() - 2 * this.#bufferTimeoutMs;
    for (const [id, first] of this.#firstSeen) if (first < expired) this.#firstSeen.delete(id);
  }

  #storeKey(position: OrderingPosition): string {
    return `${this.#namespace}:${position.key}`;
  }

  #nextAdvance(storeKey: string): { promise: Promise<void>; cancel: () => void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const set = this.#waiters.get(storeKey) ?? new Set<() => void>();
    this.#waiters.set(storeKey, set);
    set.add(wake);
    const cancel = () => {
      const current = this.#waiters.get(storeKey);
      current?.delete(wake);
      if (current?.size === 0) this.#waiters.delete(storeKey);
    };
    return { promise, cancel };
  }

  #waitAny(
    wake: { promise: Promise<void>; cancel: () => void },
    delayMs: number,
    signal: AbortSignal | undefined,
  ): Promise<'woken' | 'timer' | 'aborted'> {
    return new Promise((resolve) => {
      let timer: TimerId | undefined;
      const finish = (result: 'woken' | 'timer' | 'aborted') => {
        if (timer !== undefined) this.#clock.clearTimer(timer);
        signal?.removeEventListener('abort', onAbort);
        wake.cancel();
        resolve(result);
      };
      const onAbort = () => finish('aborted');
      timer = this.#clock.setTimer(() => finish('timer'), delayMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      void wake.promise.then(() => finish('woken'));
    });
  }
}
