/**
 * Coalesces the XACKs of deliveries that finish in the same tick into one `XACK stream group id...` command:
 * at high throughput that is one round trip per batch of finished handlers instead of one per message.
 */
import type { Redis } from 'ioredis';

export class AckBatcher {
  readonly #redis: Redis;
  readonly #stream: string;
  readonly #group: string;
  #ids: string[] = [];
  #waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  #scheduled = false;

  constructor(redis: Redis, stream: string, group: string) {
    this.#redis = redis;
    this.#stream = stream;
    this.#group = group;
  }

  /** Resolves once the XACK carrying this id was answered by Redis. */
  ack(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#ids.push(id);
      this.#waiters.push({ resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    const ids = this.#ids;
    const waiters = this.#waiters;
    this.#ids = [];
    this.#waiters = [];
    this.#scheduled = false;
    try {
      await this.#redis.call('XACK', this.#stream, this.#group, ...ids);
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }
}
