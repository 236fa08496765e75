/** The pending deliveries of one consumer group, ordered by due time, then by enqueue order. */
import type { OutgoingMessage } from '../transport.ts';

export interface StoredMessage {
  /** Broker-assigned id, the same for every copy and redelivery (like a stream entry id). */
  readonly id: string;
  readonly message: OutgoingMessage;
}

export interface PendingDelivery {
  readonly stored: StoredMessage;
  readonly attempt: number;
  readonly dueAt: number;
  readonly seq: number;
  /** Extra headers (dead-letter annotations). */
  readonly headers?: Readonly<Record<string, string>>;
}

export class DeliveryQueue {
  readonly #items: PendingDelivery[] = [];

  get length(): number {
    return this.#items.length;
  }

  push(item: PendingDelivery): void {
    // Binary search for the first item that sorts after the new one: stable for equal keys.
    let low = 0;
    let high = this.#items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.#items[mid]!;
      if (other.dueAt < item.dueAt || (other.dueAt === item.dueAt && other.seq < item.seq)) low = mid + 1;
      else high = mid;
    }
    this.#items.splice(low, 0, item);
  }

  /** The next delivery if it is due at `now`. */
  takeDue(now: number): PendingDelivery | undefined {
    const head = this.#items[0];
    if (!head || head.dueAt > now) return undefined;
    return this.#items.shift();
  }

  nextDueAt(): number | undefined {
    return this.#items[0]?.dueAt;
  }

  hasDue(now: number): boolean {
    const head = this.#items[0];
    return head !== undefined && head.dueAt <= now;
  }
}
