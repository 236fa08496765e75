/**
 * Virtual time for memory-mode runs. Timers belong to an owner (a consumer process), so a crashed consumer's
 * timers die with it, as they would with the process; `settle` in world.ts decides when time moves.
 */
import type { Clock, TimerId } from 'eventwire/runtime';

interface Timer {
  readonly id: TimerId;
  readonly due: number;
  readonly owner: number;
  readonly callback: () => void;
}

/** Owner of timers that belong to the broker itself, not to any consumer. */
export const BROKER_OWNER = 0;

export class HarnessClock {
  #now: number;
  readonly #start: number;
  #timers: Timer[] = [];
  #nextId = 1;

  constructor(startMs = Date.UTC(2030, 0, 1)) {
    this.#now = startMs;
    this.#start = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Milliseconds since the run started. */
  elapsed(): number {
    return this.#now - this.#start;
  }

  /** The Clock one owner (a consumer process, or the broker) sees. */
  forOwner(owner: number): Clock {
    return {
      now: () => this.#now,
      setTimer: (callback, delayMs) => this.#add(owner, callback, delayMs),
      clearTimer: (id) => this.#remove(id),
    };
  }

  /** Forget every timer of `owner` (its process died). */
  dropOwner(owner: number): void {
    this.#timers = this.#timers.filter((timer) => timer.owner !== owner);
  }

  get pending(): number {
    return this.#timers.length;
  }

  /** Move to the next timer's due time and fire every timer due then. False when no timer is pending. */
  fireNext(): boolean {
    const first = this.#timers[0];
    if (!first) return false;
    this.#now = Math.max(this.#now, first.due);
    while (this.#timers[0] && this.#timers[0].due <= this.#now) {
      const timer = this.#timers.shift()!;
      timer.callback();
    }
    return true;
  }

  #add(owner: number, callback: () => void, delayMs: number): TimerId {
    const timer = { id: this.#nextId++, due: this.#now + Math.max(0, delayMs), owner, callback };
    // Sorted by due time; equal due times keep creation order (deterministic).
    let index = this.#timers.length;
    while (index > 0 && this.#timers[index - 1]!.due > timer.due) index--;
    this.#timers.splice(index, 0, timer);
    return timer.id;
  }

  #remove(id: TimerId): void {
    const index = this.#timers.findIndex((timer) => timer.id === id);
    if (index !== -1) this.#timers.splice(index, 1);
  }
}
