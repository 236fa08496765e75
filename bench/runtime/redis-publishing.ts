/** Shared set-up of the Redis publish benchmarks: runtimes on the Redis Streams transport, streams, checks. */
import type { Redis } from 'ioredis';
import { createOrderPublisher, type OrderPublisher, publications } from '../../generated/order/index.ts';
import type { Runtime } from '../../runtime/api.ts';
import { MemoryIdempotencyStore } from '../../runtime/idempotency/memory.ts';
import { createEventMetrics } from '../../runtime/metrics.ts';
import type { PublisherSettings } from '../../runtime/publisher-send.ts';
import type { PublicationSpec } from '../../runtime/spec.ts';
import { createRedisStreamsTransport } from '../../runtime/transports/redis-streams/index.ts';
import type { RoundResult } from '../lib/rounds.ts';
import { ORDER_CREATED, type OrderCreated, orderCreatedPublication, orders } from './order-created.ts';
import { type RawMessage, rawMessage } from './raw-envelope.ts';
import { benchPrefix, entriesAdded, REDIS_URL } from './services.ts';

/** The transport's default trimming (`MAXLEN ~`), used by the raw baselines too. */
export const MAXLEN = 100_000;

export interface PublishContext {
  /** Command connection for the raw baselines and the checks. */
  readonly redis: Redis;
  /** Every stream of the run starts with it; removed afterwards. */
  readonly prefix: string;
  readonly seconds: number;
  /** Distinct valid payloads, cycled through (generating them is not what is measured). */
  readonly payloads: readonly OrderCreated[];
}

export function publishContext(redis: Redis, name: string, seconds: number): PublishContext {
  return { redis, prefix: benchPrefix(name), seconds, payloads: orders(4096) };
}

export function topicFor(ctx: PublishContext, variant: string, round: number): string {
  return `${ctx.prefix}:${variant}:${round}`;
}

/** The generated order publisher on a runtime whose streams live under the round's own prefix. */
export function generatedOrderPublisher(
  ctx: PublishContext,
  variant: string,
  round: number,
  settings?: PublisherSettings,
): { runtime: Runtime; publisher: OrderPublisher; stream: string } {
  const prefix = `${topicFor(ctx, variant, round)}:`;
  const runtime = publishingRuntime(prefix);
  return {
    runtime,
    publisher: createOrderPublisher(runtime, settings),
    stream: prefix + publications.publishOrdersOrderCreated.destination.topic,
  };
}

/**
 * A publishing service's runtime as generated code gets it: Redis Streams transport and metrics. `streamPrefix`
 * puts the contract's fixed topics (what the generated publisher writes to) under a stream of the round's own.
 */
export function publishingRuntime(streamPrefix = ''): Runtime {
  return {
    service: { name: 'order', version: '1.0.0' },
    transport: createRedisStreamsTransport({
      url: REDIS_URL,
      maxLenApprox: MAXLEN,
      streamPrefix,
      payloadFormat: 'as-published',
    }),
    idempotency: new MemoryIdempotencyStore(),
    metrics: createEventMetrics(),
    env: {},
  };
}

export function topicSpec(topic: string): PublicationSpec {
  return orderCreatedPublication({ kind: 'topic', pubsub: 'pubsub', topic });
}

/** The stream holds exactly what the round counted (plus the warm-up), or the round measured nothing real. */
export async function verified(
  ctx: PublishContext,
  stream: string,
  result: RoundResult,
  warmUp = 0,
): Promise<RoundResult> {
  const added = await entriesAdded(ctx.redis, stream);
  await ctx.redis.unlink(stream);
  if (added !== result.events + warmUp) {
    throw new Error(
      `stream ${stream} received ${added} entries but the round counted ${result.events} + ${warmUp}`,
    );
  }
  return result;
}

export function payloadAt(ctx: PublishContext, index: number): OrderCreated {
  return ctx.payloads[index % ctx.payloads.length]!;
}

/** XADD arguments of a hand-written producer: the entry layout the transport writes, the same `MAXLEN ~`. */
export function rawXaddArgs(stream: string, data: OrderCreated): [string, ...(string | number | Buffer)[]] {
  return rawEntryArgs(stream, rawMessage(ORDER_CREATED, data));
}

/** The same for a message already built (when the caller needs its event id). */
export function rawEntryArgs(stream: string, message: RawMessage): [string, ...(string | number | Buffer)[]] {
  const metadata = JSON.stringify(message.headers);
  return [stream, 'MAXLEN', '~', MAXLEN, '*', 'data', message.body, 'metadata', metadata];
}
