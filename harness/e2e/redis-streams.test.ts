/**
 * catalog -> search over the real Redis Streams transport, with the generated publisher and consumer and the
 * Redis idempotency store: what a product update does in production, minus the product database.
 */
import {
  type ConsumerHandle,
  createRedisStreamsTransport,
  DEAD_LETTER_HEADER,
  decodeDeliveryBody,
  type EventEnvelope,
  isValidTraceparent,
  PayloadValidationError,
  RedisIdempotencyStore,
  type RedisStreamsTransport,
  type Runtime,
  uuidv7,
} from 'eventwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CatalogProductCreated,
  type CatalogProductDeleted,
  type CatalogProductUpdated,
  createCatalogPublisher,
  publications as catalogPublications,
} from '../../generated/catalog/index.ts';
import {
  createSearchPublisher,
  type SearchIndexUpdated,
  subscriptions as searchSubscriptions,
  startSearchConsumer,
} from '../../generated/search/index.ts';
import { productCreated, productDeleted, productId, productUpdated } from '../support/catalog-fixtures.ts';
import { REDIS_URL } from '../support/env.ts';
import { failFirst, HandlerLog } from '../support/handler-log.ts';
import { until, eventually } from '../support/poll.ts';
import { publishUnvalidated, traceIdOf } from '../support/raw-publish.ts';
import { RedisNamespace } from '../support/redis.ts';
import { uniqueTag } from '../support/tags.ts';

const redis = new RedisNamespace('redis-streams');
const transports: RedisStreamsTransport[] = [];
const connections = [redis.connection(), redis.connection()];
const created = new HandlerLog<CatalogProductCreated>();
const updated = new HandlerLog<CatalogProductUpdated>();
const deleted = new HandlerLog<CatalogProductDeleted>();
let catalog: Runtime;
let search: Runtime;
let consumer: ConsumerHandle;

function transport(): RedisStreamsTransport {
  // Short blocking reads keep stop() fast; the prefix isolates this file's streams and consumer groups.
  const opened = createRedisStreamsTransport({ url: REDIS_URL, streamPrefix: redis.prefix, blockMs: 500 });
  transports.push(opened);
  return opened;
}

beforeAll(async () => {
  // Two services, two processes' worth of connections: nothing is shared but the Redis server.
  catalog = {
    service: { name: 'catalog', version: '3.2.1' },
    transport: transport(),
    idempotency: new RedisIdempotencyStore(connections[0]!, { prefix: `${redis.prefix}idem:` }),
  };
  search = {
    service: { name: 'search', version: '1.7.0' },
    transport: transport(),
    idempotency: new RedisIdempotencyStore(connections[1]!, { prefix: `${redis.prefix}idem:` }),
  };
  const searchPublisher = createSearchPublisher(search);
  // Indexing a product announces the index write, as a child of the product event.
  const indexProduct = async (event: EventEnvelope<CatalogProductCreated>, context: { follow: object }) => {
    const data: SearchIndexUpdated = {
      index: 'products',
      operation: 'upsert',
      document_count: 1,
      product_ids: [event.data.product_id],
      duration_ms: 3,
      updated_at: '2026-01-30T09:00:01Z',
    };
    await searchPublisher.publishSearchIndexUpdated(data, context.follow);
  };
  created.when(() => true, indexProduct);
  consumer = await startSearchConsumer(search, {
    onProductCreated: created.handle,
    onProductUpdated: updated.handle,
    onProductDeleted: deleted.handle,
  });
});

afterAll(async () => {
  await consumer?.stop();
  await Promise.all(transports.map((t) => t.close()));
  for (const connection of connections) connection.disconnect();
  await redis.dispose();
});

describe('Redis Streams: generated catalog publisher -> generated search consumer', () => {
  it('delivers created, updated and deleted with typed data and envelope metadata intact', async () => {
    const tag = uniqueTag();
    const publisher = createCatalogPublisher(catalog);
    const correlationId = uuidv7();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const sentCreated = await publisher.publishCatalogProductCreated(productCreated(tag), {
      correlationId,
      traceparent,
    });
    const sentUpdated = await publisher.publishCatalogProductUpdated(productUpdated(tag));
    const sentDeleted = await publisher.publishCatalogProductDeleted(productDeleted(tag), {
      causedBy: sentCreated,
    });

    const [gotCreated, gotUpdated, gotDeleted] = await Promise.all([
      eventually('product-created delivery', () => created.callsFor(sentCreated.event_id)[0]),
      eventually('product-updated delivery', () => updated.callsFor(sentUpdated.event_id)[0]),
      eventually('product-deleted delivery', () => deleted.callsFor(sentDeleted.event_id)[0]),
    ]);
    // The whole envelope survives the broker: data (typed), ids, timestamp, version, metadata.
    expect(gotCreated.event).toEqual(sentCreated);
    expect(gotUpdated.event).toEqual(sentUpdated);
    expect(gotDeleted.event).toEqual(sentDeleted);
    expect(gotCreated.event.data.product.variants[1]?.price).toEqual({ amount: 260_000, currency: 'VND' });
    expect(gotCreated.event.metadata).toMatchObject({
      correlation_id: correlationId,
      traceparent,
      service: 'catalog',
      version: '3.2.1',
    });
    expect(gotCreated.event.metadata.causation_id).toBeUndefined();
    expect(isValidTraceparent(gotUpdated.event.metadata.traceparent)).toBe(true);
    expect(gotDeleted.event.metadata).toMatchObject({
      correlation_id: correlationId,
      causation_id: sentCreated.event_id,
    });
    expect(traceIdOf(gotDeleted.event.metadata.traceparent)).toBe(traceIdOf(traceparent));
    expect([gotCreated, gotUpdated, gotDeleted].map((call) => call.context.subscription)).toEqual([
      searchSubscriptions.onProductCreated.name,
      searchSubscriptions.onProductUpdated.name,
      searchSubscriptions.onProductDeleted.name,
    ]);
    expect([gotCreated, gotUpdated, gotDeleted].map((call) => call.context.attempt)).toEqual([1, 1, 1]);

    // The follow-up the handler published through context.follow is a child of the product event.
    const followUp = await eventually('search.index.updated follow-up', async () => {
      const entries = await redis.entries('search.index.updated');
      return entries
        .map(
          (entry) => decodeDeliveryBody(Buffer.from(entry.fields.data!)) as EventEnvelope<SearchIndexUpdated>,
        )
        .find((envelope) => envelope.data.product_ids?.includes(productId(tag)));
    });
    expect(followUp.metadata).toMatchObject({
      causation_id: sentCreated.event_id,
      correlation_id: correlationId,
      service: 'search',
      version: '1.7.0',
    });
    expect(traceIdOf(followUp.metadata.traceparent)).toBe(traceIdOf(traceparent));

    // Each event is marked done in the Redis idempotency store under <service>:<subscription>:<event_id>.
    const mark = await redis.raw.get(`${redis.prefix}idem:search:product-created:${sentCreated.event_id}`);
    expect(mark).toMatch(/^d:/);
  });

  it('processes a duplicate delivery once and acknowledges it', async () => {
    const tag = uniqueTag();
    const sent = await createCatalogPublisher(catalog).publishCatalogProductCreated(productCreated(tag));
    await until('first delivery handled', () => created.callsFor(sent.event_id).length === 1);

    // The same entry appended again: what a publisher retrying after a lost reply produces.
    const original = (await redis.entries('catalog.product.created')).find(
      (entry) => decodeDeliveryBody(Buffer.from(entry.fields.data!)).event_id === sent.event_id,
    );
    expect(original).toBeDefined();
    const duplicateId = (await redis.raw.xadd(
      `${redis.prefix}catalog.product.created`,
      '*',
      ...Object.entries(original!.fields).flat(),
    )) as string;

    // The group read the duplicate and acknowledged it ...
    await until('duplicate delivered and acknowledged', async () => {
      const group = await redis.group('catalog.product.created', 'search');
      return group !== undefined && group.lastDeliveredId === duplicateId && group.pending === 0;
    });
    // ... without running the handler again.
    expect(created.callsFor(sent.event_id)).toHaveLength(1);
    expect(await redis.entries('dlq.product-created')).not.toContainEqual(
      expect.objectContaining({ fields: expect.objectContaining({ original_id: duplicateId }) }),
    );
  });

  it('dead-letters an invalid payload published around the typed publisher; the handler never sees it', async () => {
    const tag = uniqueTag();
    const valid = productCreated(tag);
    const { sku: _dropped, ...withoutSku } = valid.product;
    const invalid = { ...valid, product: withoutSku };
    // The typed publisher refuses it before anything is sent ...
    await expect(
      createCatalogPublisher(catalog).publishCatalogProductCreated(invalid as CatalogProductCreated),
    ).rejects.toBeInstanceOf(PayloadValidationError);
    // ... so publish it the way an outdated producer would.
    const sent = await publishUnvalidated(catalog, catalogPublications.publishCatalogProductCreated, invalid);

    const deadLetter = await eventually('dead letter in dlq.product-created', async () =>
      (await redis.entries('dlq.product-created')).find(
        (entry) => decodeDeliveryBody(Buffer.from(entry.fields.data!)).event_id === sent.event_id,
      ),
    );
    expect(deadLetter.fields).toMatchObject({
      reason: 'invalid-payload',
      attempts: '1',
      // One group per subscribing service, as Dapr's consumerID {appID}.
      consumer_group: 'search',
      original_stream: `${redis.prefix}catalog.product.created`,
    });
    expect(deadLetter.fields.error).toContain('sku');
    const metadata = JSON.parse(deadLetter.fields.metadata!) as Record<string, string>;
    expect(metadata[DEAD_LETTER_HEADER.reason]).toBe('invalid-payload');
    expect(metadata.event_id).toBe(sent.event_id);
    await until('original acknowledged', async () => {
      const group = await redis.group('catalog.product.created', 'search');
      return group?.pending === 0;
    });
    expect(created.callsFor(sent.event_id)).toEqual([]);
  });

  it('a batching publisher (settings.batch) delivers every event of a concurrent burst once, in its own envelope', async () => {
    const tags = Array.from({ length: 60 }, () => uniqueTag());
    const publisher = createCatalogPublisher(catalog, { batch: { maxBatchSize: 25 } });
    const sent = await Promise.all(
      tags.map((tag) => publisher.publishCatalogProductUpdated(productUpdated(tag))),
    );

    expect(new Set(sent.map((envelope) => envelope.event_id)).size).toBe(tags.length);
    expect(sent.map((envelope) => envelope.data.product_id)).toEqual(tags.map(productId));
    await until('every event of the burst handled', () =>
      sent.every((envelope) => updated.callsFor(envelope.event_id).length > 0),
    );
    for (const envelope of sent) {
      const calls = updated.callsFor(envelope.event_id);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.event).toEqual(envelope);
    }
  });

  it('retries a handler that fails twice with the contract backoff, then acknowledges attempt 3', async () => {
    const tag = uniqueTag();
    updated.when((event) => event.data.product_id === productId(tag), failFirst(2));
    const sent = await createCatalogPublisher(catalog).publishCatalogProductUpdated(productUpdated(tag));

    await until('third attempt', () => updated.callsFor(sent.event_id).length === 3, 20_000);
    await until('acknowledged after success', async () => {
      const group = await redis.group('catalog.product.updated', 'search');
      return group?.pending === 0;
    });
    const calls = updated.callsFor(sent.event_id);
    expect(calls.map((call) => call.context.attempt)).toEqual([1, 2, 3]);
    // Exponential backoff from the contract: 1 s after attempt 1, 2 s after attempt 2 (never shorter).
    const [first, second, third] = calls.map((call) => call.at) as [number, number, number];
    const [firstDelay, secondDelay] = searchSubscriptions.onProductUpdated.retry.delaysMs;
    expect(second - first).toBeGreaterThanOrEqual(firstDelay - 50);
    expect(third - second).toBeGreaterThanOrEqual(secondDelay - 50);
    expect(await redis.raw.get(`${redis.prefix}idem:search:product-updated:${sent.event_id}`)).toMatch(/^d:/);
    const deadLetters = await redis.entries('dlq.product-updated');
    expect(
      deadLetters.filter(
        (entry) => decodeDeliveryBody(Buffer.from(entry.fields.data!)).event_id === sent.event_id,
      ),
    ).toEqual([]);
    // Nothing arrives later: the success was final.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(updated.callsFor(sent.event_id)).toHaveLength(3);
  });
});
