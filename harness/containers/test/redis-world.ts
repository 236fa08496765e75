/**
 * catalog -> search on the runtime's Redis Streams transport and Redis idempotency store, against a broker in a
 * container, reached through its fault proxy exactly as a service would reach it. One world per test: its own
 * key prefix inside the container, its own connections, its own consumer.
 */
import {
  type ConsumerHandle,
  createRedisStreamsTransport,
  decodeDeliveryBody,
  RedisIdempotencyStore,
  type RedisStreamsTransport,
  type Runtime,
} from 'eventwire/runtime';
import { Redis } from 'ioredis';
import { type CatalogProductCreated, createCatalogPublisher } from '../../../generated/catalog/index.ts';
import { startSearchConsumer } from '../../../generated/search/index.ts';
import { productCreated } from '../../support/catalog-fixtures.ts';
import { HandlerLog } from '../../support/handler-log.ts';
import { RedisNamespace } from '../../support/redis.ts';
import { uniqueTag } from '../../support/tags.ts';
import type { ContainerBroker } from '../broker.ts';

export interface Acknowledged {
  readonly eventId: string;
  readonly tag: string;
  /** `Date.now()` when the broker's acknowledgement reached the publisher. */
  readonly at: number;
}

/**
 * Every connection of a world reconnects every 20 ms while the broker is away, as the harness's consumer host
 * does (harness/real/host.ts): ioredis' default waits 50 ms longer on each failed attempt, so after a restart of
 * ~0.7 s its next attempt came up to ~300 ms after the broker was back, and a run measured that, not the broker.
 */
const RECONNECT = { maxRetriesPerRequest: null, retryStrategy: () => 20 } as const;

export class RedisWorld implements AsyncDisposable {
  readonly namespace: RedisNamespace;
  readonly created = new HandlerLog<CatalogProductCreated>();
  readonly acknowledged: Acknowledged[] = [];
  /** Publish calls that failed (the broker was down); the caller published again with a new event. */
  failedPublishes = 0;
  readonly #transports: RedisStreamsTransport[] = [];
  readonly #connections: Redis[] = [];
  #consumer: ConsumerHandle | undefined;
  readonly #catalog: Runtime;
  readonly #search: Runtime;

  constructor(broker: ContainerBroker, label: string) {
    this.namespace = new RedisNamespace(label, broker.url);
    // Faults break these connections on purpose; ioredis reconnects them and the tests check the outcome.
    this.namespace.raw.on('error', () => undefined);
    const runtime = (name: string): Runtime => {
      // As the transport's own connection: commands wait out an outage instead of failing after a few retries
      // (a failed commit leaves the event handled but unmarked, which a duplicate would then run again).
      const connection = new Redis(broker.url, RECONNECT).on('error', () => undefined);
      this.#connections.push(connection);
      // Short blocking reads and a short claim interval: a consumer whose reads were cut off recovers fast.
      const transport = createRedisStreamsTransport({
        url: broker.url,
        streamPrefix: this.namespace.prefix,
        blockMs: 300,
        claimIntervalMs: 1_000,
        processingTimeoutMs: 5_000,
        redisOptions: RECONNECT,
      });
      this.#transports.push(transport);
      return {
        service: { name, version: '1.0.0' },
        transport,
        idempotency: new RedisIdempotencyStore(connection, { prefix: `${this.namespace.prefix}idem:` }),
      };
    };
    this.#catalog = runtime('catalog');
    this.#search = runtime('search');
  }

  async startConsumer(): Promise<void> {
    this.#consumer = await startSearchConsumer(this.#search, {
      onProductCreated: this.created.handle,
      onProductUpdated: async () => undefined,
      onProductDeleted: async () => undefined,
    });
  }

  /** Publishes one product-created event, publishing a new one after each failure, until one is acknowledged. */
  async publishOne(): Promise<Acknowledged> {
    const publisher = createCatalogPublisher(this.#catalog);
    for (;;) {
      const tag = uniqueTag();
      try {
        const sent = await publisher.publishCatalogProductCreated(productCreated(tag));
        const ack = { eventId: sent.event_id, tag, at: Date.now() };
        this.acknowledged.push(ack);
        return ack;
      } catch {
        this.failedPublishes++;
      }
    }
  }

  /** Publishes `count` events one after another; `at(i)` runs (not awaited) before the i-th. */
  async publishStream(count: number, at: (index: number) => void = () => undefined): Promise<void> {
    for (let i = 0; i < count; i++) {
      at(i);
      await this.publishOne();
    }
  }

  /** Event ids of every entry of the product-created stream, read from the broker. */
  async streamEventIds(): Promise<Set<string>> {
    const entries = await this.namespace.entries('catalog.product.created');
    return new Set(entries.map((entry) => decodeDeliveryBody(Buffer.from(entry.fields.data ?? '')).event_id));
  }

  /** The idempotency mark of a handled event: `d:...` once its handling is committed. */
  async mark(eventId: string): Promise<string | null> {
    return this.namespace.raw.get(`${this.namespace.prefix}idem:search:product-created:${eventId}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#consumer?.stop();
    await Promise.allSettled(this.#transports.map((transport) => transport.close()));
    for (const connection of this.#connections) connection.disconnect();
    await this.namespace.dispose().catch(() => undefined);
  }
}
