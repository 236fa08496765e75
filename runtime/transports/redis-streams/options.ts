/**
 * Options of the Redis Streams transport. Names and defaults follow Dapr's `pubsub.redis` component
 * (consumerID, processingTimeout, redeliverInterval, queueDepth, concurrency, maxLenApprox) so a contract's
 * `x-eventwire-pubsub` settings mean the same thing whether a service runs behind daprd or on this transport.
 */
import { hostname } from 'node:os';
import type { Redis, RedisOptions } from 'ioredis';
import type { SubscriptionSpec } from '../../spec.ts';

export interface TransportLogger {
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export interface RedisStreamsTransportOptions {
  /** Connection URL; default env REDIS_URL, then redis://127.0.0.1:6379. Ignored when `client` is given. */
  readonly url?: string;
  /** Extra ioredis options for the connections the transport opens. */
  readonly redisOptions?: RedisOptions;
  /** Bring your own connection: used for commands, duplicated for blocking reads, never closed by the transport. */
  readonly client?: Redis;
  /**
   * 'cloudevents' (default): envelope bodies are stored as the runtime's structured CloudEvent, which a Dapr app
   * reading the stream requires: daprd only json.Unmarshals `data` as the CloudEvent (dapr
   * pkg/runtime/subscription/subscription.go), so an envelope would reach it without specversion, id or type.
   * 'as-published': `data` holds the body the runtime encoded (envelope JSON), for streams no Dapr app reads.
   * eventwire consumers read both.
   */
  readonly payloadFormat?: 'as-published' | 'cloudevents';
  /** Prepended to every stream key (topic and dead-letter). Empty by default: stream key = topic, as in Dapr. */
  readonly streamPrefix?: string;
  /**
   * `XADD ... MAXLEN ~ N`; 0 (default) disables trimming, as Dapr's pubsub.redis does by default. Trimming
   * deletes entries whether or not a consumer group has read them: where Dapr apps share a stream, use the value
   * of the component's `maxLenApprox` (generated/dapr/pubsub-redis.yaml), or leave it 0.
   */
  readonly maxLenApprox?: number;
  /** Trimming of dead-letter streams; 0 (default) keeps every dead letter. */
  readonly deadLetterMaxLenApprox?: number;
  /** Consumer name inside the group; must be unique per process. Default `<hostname>-<pid>-<random>`. */
  readonly consumerName?: string;
  /**
   * Consumer group; default the subscribing service's name, as Dapr's `consumerID: "{appID}"` gives each app its
   * own group: services that subscribe to one topic under the same subscription name (warehouse and
   * notification both have `return-requested`) each get every event, never a share of them.
   */
  readonly group?: string | ((spec: SubscriptionSpec) => string);
  /** Where a new group starts: `0` (Dapr's choice: the whole retained stream) or `$` (only new entries). */
  readonly groupStartId?: '0' | '$';
  /** `XREADGROUP ... BLOCK ms`. */
  readonly blockMs?: number;
  /**
   * `XREADGROUP ... COUNT n` and the read-ahead depth (Dapr: queueDepth): up to this many entries wait in the
   * consumer's queue beyond the `concurrency` handlers running, so the next batch is read while one is handled.
   */
  readonly batchSize?: number;
  /**
   * Bytes of entries that may wait in the consumer's queue beyond the running handlers (default 16 MiB): with
   * large entries, fewer are read ahead, so a stream of oversized entries cannot exhaust the process' memory.
   */
  readonly maxQueuedBytes?: number;
  /** Handler slots per subscription; default the subscription's `concurrency`. */
  readonly concurrency?: number;
  /** An entry pending this long without its owner renewing it is reclaimed by another consumer (Dapr default 60s). */
  readonly processingTimeoutMs?: number;
  /** How often idle pending entries are looked for (Dapr redeliverInterval, default 15s). */
  readonly claimIntervalMs?: number;
  /** How often a live consumer renews the entries it holds; default processingTimeoutMs / 3. */
  readonly leaseRenewIntervalMs?: number;
  readonly logger?: TransportLogger;
}

export interface ResolvedOptions {
  readonly payloadFormat: 'as-published' | 'cloudevents';
  readonly streamPrefix: string;
  readonly maxLenApprox: number;
  readonly deadLetterMaxLenApprox: number;
  readonly consumerName: string;
  readonly groupFor: (spec: SubscriptionSpec) => string;
  readonly groupStartId: '0' | '$';
  readonly blockMs: number;
  readonly batchSize: number;
  readonly maxQueuedBytes: number;
  readonly concurrency: number | undefined;
  readonly processingTimeoutMs: number;
  readonly claimIntervalMs: number;
  readonly leaseRenewIntervalMs: number;
  readonly logger: TransportLogger;
}

const consoleLogger: TransportLogger = {
  warn: (message, details) => console.warn(`[eventwire redis-streams] ${message}`, details ?? ''),
  error: (message, details) => console.error(`[eventwire redis-streams] ${message}`, details ?? ''),
};

export function resolveOptions(options: RedisStreamsTransportOptions): ResolvedOptions {
  const processingTimeoutMs = positive('processingTimeoutMs', options.processingTimeoutMs ?? 60_000);
  const group = options.group;
  return {
    payloadFormat: options.payloadFormat ?? 'cloudevents',
    streamPrefix: options.streamPrefix ?? '',
    maxLenApprox: nonNegative('maxLenApprox', options.maxLenApprox ?? 0),
    deadLetterMaxLenApprox: nonNegative('deadLetterMaxLenApprox', options.deadLetterMaxLenApprox ?? 0),
    consumerName:
      options.consumerName ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
    groupFor: typeof group === 'function' ? group : (spec) => group ?? spec.service,
    groupStartId: options.groupStartId ?? '0',
    blockMs: positive('blockMs', options.blockMs ?? 5_000),
    batchSize: positive('batchSize', options.batchSize ?? 100),
    maxQueuedBytes: positive('maxQueuedBytes', options.maxQueuedBytes ?? 16 * 1024 * 1024),
    concurrency: options.concurrency === undefined ? undefined : positive('concurrency', options.concurrency),
    processingTimeoutMs,
    claimIntervalMs: positive('claimIntervalMs', options.claimIntervalMs ?? 15_000),
    leaseRenewIntervalMs: positive(
      'leaseRenewIntervalMs',
      options.leaseRenewIntervalMs ?? Math.max(1, Math.floor(processingTimeoutMs / 3)),
    ),
    logger: options.logger ?? consoleLogger,
  };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`Redis Streams transport option '${name}' must be a positive number, got ${value}.`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(
      `Redis Streams transport option '${name}' must be an integer >= 0 (0 disables), got ${value}.`,
    );
  }
  return value;
}
