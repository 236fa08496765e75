/**
 * Coalesces the XACKs of deliveries that finish in the same tick into one `XACK stream group id...` command:
 * at high throughput that is one round trip per batch of finished handlers instead of one per message.
 */
import type { Redis } from 'ioredis';
import { createBatcher } from '../../batcher.ts';

export class AckBatcher {
  /** Resolves once the XACK carrying this id was answered by Redis. */
  readonly ack: (id: string) => Promise<void>;

  constructor(redis: Redis, stream: string, group: string) {
    this.ack = createBatcher<string, void>(
      async (ids) => {
        await redis.call('XACK', stream, group, ...ids);
        return ids.map(() => undefined);
      },
      { maxBatch: Number.POSITIVE_INFINITY },
    ).add;
  }
}
