/** In-process ordering positions: one consumer instance, or tests. */
import type { OrderingStore } from './store.ts';

export class MemoryOrderingStore implements OrderingStore {
  readonly #last = new Map<string, number>();

  async last(key: string): Promise<number | null> {
    return this.#last.get(key) ?? null;
  }

  async advance(key: string, sequence: number): Promise<boolean> {
    const current = this.#last.get(key);
    if (current !== undefined && current >= sequence) return false;
    this.#last.set(key, sequence);
    return true;
  }
}
