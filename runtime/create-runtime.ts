/**
 * `createRuntime`: the one documented way to build the `Runtime` a service's generated publisher and consumer
 * run on, with the defaults read from its generated contract (`generated/<service>/contract.ts`):
 *
 * - transport: RabbitMQ when the contract's channels are AMQP exchanges, otherwise Redis Streams, or the Dapr
 *   sidecar when `dapr` is given (a contract mixing both needs two runtimes: one transport each);
 * - idempotency store: what the subscriptions declare (`x-eventwire-idempotency.store`: redis by default,
 *   memory, or postgres with `postgres` given);
 * - ordering store: Redis when a subscription declares ordering;
 * - logger: pino JSON lines (createLogger), metrics: a fresh prom-client registry with eventwire's metrics and the
 *   dead-letter metrics read from the broker.
 *
 *   const runtime = await createRuntime({ contract, version: '1.4.0' });
 *   const consumer = await startOrderConsumer(runtime, createHandlers({ publisher: createOrderPublisher(runtime) }));
 *
 * `runtime.close()` closes what it opened (transport, connections); stop consumers first.
 */
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Runtime } from './api.ts';
import { createDeadLetterMetrics, type DeadLetterReader } from './dlq-metrics.ts';
import { ConfigurationError } from './errors.ts';
import {
  checkHealth,
  type HealthCheck,
  type HealthReport,
  postgresHealth,
  rabbitMqHealth,
  redisHealth,
} from './health.ts';
import { MemoryIdempotencyStore } from './idempotency/memory.ts';
import { PostgresIdempotencyStore } from './idempotency/postgres.ts';
import { RedisIdempotencyStore } from './idempotency/redis.ts';
import type { IdempotencyStore, IdempotencyStoreKind } from './idempotency/store.ts';
import { createLogger, type EventLogger, transportLogger } from './logging.ts';
import { createEventMetrics, type EventMetrics } from './metrics.ts';
import { MemoryOrderingStore } from './ordering/memory.ts';
import { RedisOrderingStore } from './ordering/redis.ts';
import type { OrderingStore } from './ordering/store.ts';
import { rabbitMqDeadLetters, redisDeadLetters } from './dlq-readers.ts';
import type { PublicationSpec, SubscriptionSpec } from './spec.ts';
import type { Transport } from './transport.ts';
import { createDaprTransport, type DaprTransportOptions } from './transports/dapr/index.ts';
import { DEFAULT_AMQP_URL } from './transports/rabbitmq/connection.ts';
import { createRabbitMqTransport, type RabbitMqTransportOptions } from './transports/rabbitmq/transport.ts';
import {
  createRedisStreamsTransport,
  type RedisStreamsTransport,
  type RedisStreamsTransportOptions,
} from './transports/redis-streams/index.ts';

/** A service's generated contract module: `import * as contract from './generated/order/contract.ts'`. */
export interface ServiceContract {
  readonly publications?: Readonly<Record<string, PublicationSpec>>;
  readonly subscriptions?: Readonly<Record<string, SubscriptionSpec>>;
}

export interface CreateRuntimeOptions {
  readonly contract: ServiceContract;
  /** The service's name (default: the contract's) and version (default env SERVICE_VERSION, then 0.0.0). */
  readonly service?: string;
  readonly version?: string;
  /** Redis for Redis Streams and the Redis stores (default env REDIS_URL, then redis://127.0.0.1:6379). */
  readonly redisUrl?: string;
  /** RabbitMQ for AMQP contracts (default env AMQP_URL, then amqp://guest:guest@127.0.0.1:5672). */
  readonly amqpUrl?: string;
  /** Publish and receive through the Dapr sidecar instead of Redis Streams (topic contracts only). */
  readonly dapr?: true | DaprTransportOptions;
  /** More settings of the chosen transport. */
  readonly redisStreams?: Omit<RedisStreamsTransportOptions, 'url' | 'client'>;
  readonly rabbitmq?: Omit<RabbitMqTransportOptions, 'url'>;
  /** A store, or the kind to use instead of the contract's. */
  readonly idempotency?: IdempotencyStore | IdempotencyStoreKind;
  /** Required when a subscription keeps its idempotency in PostgreSQL. */
  readonly postgres?: Pool;
  /**
   * Prepended to every stream and key this runtime uses in Redis, to share one Redis between environments or
   * test runs (default env EVENTWIRE_REDIS_PREFIX, then none: streams are named by their topics, as under Dapr).
   */
  readonly redisPrefix?: string;
  /** pino (or any EventLogger); `false` for none. Default createLogger(): JSON lines on stdout. */
  readonly logger?: EventLogger | false;
  /** Default: createEventMetrics() on a fresh registry. */
  readonly metrics?: EventMetrics;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface ServiceRuntime extends Runtime {
  readonly logger: EventLogger;
  readonly metrics: EventMetrics;
  /** Every broker and store this runtime uses answers (for a health endpoint). */
  health(): Promise<HealthReport>;
  /** Closes the transport and the connections createRuntime opened. Stop consumers first. */
  close(): Promise<void>;
}

export async function createRuntime(options: CreateRuntimeOptions): Promise<ServiceRuntime> {
  const env = options.env ?? process.env;
  const publications = Object.values(options.contract.publications ?? {});
  const subscriptions = Object.values(options.contract.subscriptions ?? {});
  const name = options.service ?? serviceOf(publications, subscriptions);
  const service = { name, version: options.version ?? env.SERVICE_VERSION ?? '0.0.0' };
  const transportKind = transportOf(name, publications, subscriptions, options);
  const storeKind = storeKindOf(name, subscriptions, options.idempotency);
  const needsRedis =
    transportKind === 'redis-streams' ||
    storeKind === 'redis' ||
    (subscriptions.some((spec) => spec.ordering) && storeKind !== 'memory');

  const redisUrl = options.redisUrl ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const amqpUrl = options.amqpUrl ?? env.AMQP_URL ?? DEFAULT_AMQP_URL;
  const logger =
    // No `service` base field: the pipeline's lines carry it already (pino would write the key twice).
    options.logger === false ? undefined : (options.logger ?? createLogger());
  const redis = needsRedis
    ? new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false })
    : undefined;
  // Connection errors are retried by ioredis; reported once per error here instead of ioredis' stderr warning.
  redis?.on('error', (error: Error) => logger?.warn({ error: error.message }, 'redis connection error'));
  const namespace = options.redisPrefix ?? env.EVENTWIRE_REDIS_PREFIX ?? '';
  const prefix = `${namespace}eventwire:`;
  const opened: (() => Promise<unknown>)[] = [];
  if (redis) opened.push(() => redis.quit().catch(() => redis.disconnect()));
  const closeAll = () => Promise.allSettled(opened.reverse().map((close) => close()));

  try {
    const transport = await openTransport(transportKind, options, redis, amqpUrl, logger, namespace);
    opened.push(() => transport.close());
    const idempotency = idempotencyStore(storeKind, options, redis, prefix);
    const ordering = orderingStore(subscriptions, redis, prefix);
    const metrics = options.metrics ?? createEventMetrics();
    const reader = deadLetterReader(transportKind, transport, redis, amqpUrl);
    if (reader) {
      createDeadLetterMetrics({ registry: metrics.registry, service: name, subscriptions, reader, logger });
      opened.push(() => reader.close());
    }
    const checks = healthChecks(transportKind, redis, amqpUrl, options.postgres);
    return {
      service,
      transport,
      idempotency,
      ...(ordering ? { ordering } : {}),
      metrics,
      logger: logger ?? createLogger({ level: 'silent' }),
      env,
      health: () => checkHealth(checks),
      close: async () => {
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

type TransportKind = 'redis-streams' | 'rabbitmq' | 'dapr';

function serviceOf(
  publications: readonly PublicationSpec[],
  subscriptions: readonly SubscriptionSpec[],
): string {
  const names = new Set([...publications, ...subscriptions].map((spec) => spec.service));
  const [only] = names;
  if (names.size === 1 && only) return only;
  throw new ConfigurationError(
    names.size === 0
      ? 'createRuntime: the contract has no publications or subscriptions; pass a generated contract module ' +
          "(import * as contract from './generated/<service>/contract.ts')"
      : `createRuntime: the contract mixes services (${[...names].join(', ')}); pass one service's contract`,
  );
}

function transportOf(
  service: string,
  publications: readonly PublicationSpec[],
  subscriptions: readonly SubscriptionSpec[],
  options: CreateRuntimeOptions,
): TransportKind {
  const kinds = new Set([
    ...publications.map((spec) => spec.destination.kind),
    ...subscriptions.map((spec) => spec.source.kind),
  ]);
  if (kinds.size > 1) {
    throw new ConfigurationError(
      `createRuntime: service ${service} uses both AMQP exchanges and pub/sub topics; a runtime has one ` +
        'transport: create one runtime per broker, each with the specs it serves',
    );
  }
  if (kinds.has('amqp')) {
    if (options.dapr) {
      throw new ConfigurationError(
        `createRuntime: service ${service} talks AMQP directly; remove the dapr option`,
      );
    }
    return 'rabbitmq';
  }
  return options.dapr ? 'dapr' : 'redis-streams';
}

function storeKindOf(
  service: string,
  subscriptions: readonly SubscriptionSpec[],
  chosen: CreateRuntimeOptions['idempotency'],
): IdempotencyStoreKind | 'given' {
  if (chosen !== undefined) return typeof chosen === 'string' ? chosen : 'given';
  const kinds = new Set(subscriptions.map((spec) => spec.idempotency.store));
  if (kinds.size > 1) {
    throw new ConfigurationError(
      `createRuntime: the subscriptions of ${service} keep idempotency in ${[...kinds].join(' and ')}; pass ` +
        "`idempotency` (a store) and the others to the consumer's `idempotencyStores` option",
    );
  }
  const [only] = kinds;
  // A publish-only service never claims: memory costs nothing.
  return only ?? 'memory';
}

async function openTransport(
  kind: TransportKind,
  options: CreateRuntimeOptions,
  redis: Redis | undefined,
  amqpUrl: string,
  logger: EventLogger | undefined,
  namespace: string,
): Promise<Transport> {
  if (kind === 'rabbitmq') {
    return createRabbitMqTransport({
      url: amqpUrl,
      ...(logger ? { onEvent: (event) => logger.info({ ...event }, `rabbitmq ${event.type}`) } : {}),
      ...options.rabbitmq,
    });
  }
  if (kind === 'dapr') {
    const settings = options.dapr === true ? {} : options.dapr;
    return createDaprTransport({ ...(logger ? { logger: transportLogger(logger) } : {}), ...settings });
  }
  return createRedisStreamsTransport({
    ...(redis ? { client: redis } : {}),
    streamPrefix: namespace,
    ...(logger ? { logger: transportLogger(logger) } : {}),
    ...options.redisStreams,
  });
}

function idempotencyStore(
  kind: IdempotencyStoreKind | 'given',
  options: CreateRuntimeOptions,
  redis: Redis | undefined,
  prefix: string,
): IdempotencyStore {
  if (kind === 'given') return options.idempotency as IdempotencyStore;
  if (kind === 'memory') return new MemoryIdempotencyStore();
  if (kind === 'postgres') {
    if (!options.postgres) {
      throw new ConfigurationError(
        'createRuntime: the subscriptions keep idempotency in PostgreSQL; pass `postgres` (a pg Pool)',
      );
    }
    return new PostgresIdempotencyStore(options.postgres);
  }
  if (!redis) throw new ConfigurationError('createRuntime: the Redis idempotency store needs Redis');
  return new RedisIdempotencyStore(redis, { prefix: `${prefix}idem:` });
}

function orderingStore(
  subscriptions: readonly SubscriptionSpec[],
  redis: Redis | undefined,
  prefix: string,
): OrderingStore | undefined {
  if (!subscriptions.some((spec) => spec.ordering)) return undefined;
  return redis ? new RedisOrderingStore(redis, { prefix: `${prefix}seq:` }) : new MemoryOrderingStore();
}

function deadLetterReader(
  kind: TransportKind,
  transport: Transport,
  redis: Redis | undefined,
  amqpUrl: string,
): DeadLetterReader | undefined {
  if (kind === 'redis-streams' && redis && 'streamFor' in transport) {
    const streams = transport as RedisStreamsTransport;
    return redisDeadLetters(redis, (address) => streams.streamFor(address));
  }
  if (kind === 'rabbitmq') return rabbitMqDeadLetters(amqpUrl);
  // Under Dapr the dead letters are topics of the sidecar's broker, which this process does not reach.
  return undefined;
}

function healthChecks(
  kind: TransportKind,
  redis: Redis | undefined,
  amqpUrl: string,
  postgres: Pool | undefined,
): HealthCheck[] {
  return [
    ...(redis ? [redisHealth(redis)] : []),
    ...(kind === 'rabbitmq' ? [rabbitMqHealth(amqpUrl)] : []),
    ...(postgres ? [postgresHealth(postgres)] : []),
  ];
}
