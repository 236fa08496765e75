/**
 * A Redis namespace for one test file: every stream, consumer group and idempotency mark the harness creates
 * lives under one unique key prefix, so files run in parallel on a shared Redis and cleanup is one SCAN.
 */
import { Redis } from 'ioredis';
import { REDIS_URL, uniqueName } from './env.ts';

export interface StreamEntry {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
}

export class RedisNamespace {
  /** Ends with ':'; use as the transport's `streamPrefix` and the idempotency store's `prefix` base. */
  readonly prefix: string;
  /** A plain connection for inspecting streams and keys; tests never share it with a transport. */
  readonly raw: Redis;

  readonly #url: string;

  /** `url`: the shared Redis by default; a container's when the harness runs its own. */
  constructor(label: string, url: string = REDIS_URL) {
    this.prefix = `${uniqueName(`ew-harness-${label}`)}:`;
    this.#url = url;
    this.raw = new Redis(url, { maxRetriesPerRequest: 2 });
  }

  /** A new connection for a component under test (transports and stores own theirs, as in a service). */
  connection(): Redis {
    return new Redis(this.#url, { maxRetriesPerRequest: 2 });
  }

  /** Every entry of the stream `prefix + topic`, oldest first. */
  async entries(topic: string): Promise<StreamEntry[]> {
    const rows = (await this.raw.xrange(this.prefix + topic, '-', '+')) as [string, string[]][];
    return rows.map(([id, flat]) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
      return { id, fields };
    });
  }

  /** `XINFO GROUPS` of the stream `prefix + topic` for one group: pending count and last delivered id. */
  async group(
    topic: string,
    name: string,
  ): Promise<{ pending: number; lastDeliveredId: string } | undefined> {
    const groups = (await this.raw.call('XINFO', 'GROUPS', this.prefix + topic)) as unknown[][];
    for (const flat of groups) {
      const info = new Map<string, unknown>();
      for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1]);
      if (info.get('name') === name) {
        return {
          pending: Number(info.get('pending')),
          lastDeliveredId: String(info.get('last-delivered-id')),
        };
      }
    }
    return undefined;
  }

  /** Deletes every key under the prefix (streams with their groups, idempotency marks) and disconnects. */
  async dispose(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.raw.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await this.raw.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    this.raw.disconnect();
  }
}
