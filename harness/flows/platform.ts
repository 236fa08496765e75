/**
 * The demo platform on the machine's real brokers, for the flow tests: every service gets its own runtime (a
 * Redis Streams transport and Redis idempotency and ordering stores, all under one key prefix per test file),
 * its generated consumer, and its own handlers as `generated/<service>/handlers.ts` keeps them, with the
 * dependencies its `createHarnessDeps` makes on real brokers: tables in one fresh PostgreSQL schema per file,
 * which the tests read back. Nothing is shared between services but the brokers and the database.
 */
import { randomBytes } from 'node:crypto';
import {
  type ConsumerHandle,
  createRedisStreamsTransport,
  type EventContext,
  type EventEnvelope,
  type EventHandler,
  ProgressTracker,
  RedisIdempotencyStore,
  RedisOrderingStore,
  type Runtime,
  type Transport,
} from 'eventwire/runtime';
import pg from 'pg';
import type { HarnessDepsContext } from '../engine/types.ts';
import { REDIS_URL } from '../support/env.ts';
import { RedisNamespace } from '../support/redis.ts';
import { platformTarget } from '../test/targets.ts';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One handler call as the flow saw it: which operation, which event and attempt, when, and how it ended. */
export interface FlowCall {
  readonly service: string;
  readonly operation: string;
  readonly event: EventEnvelope<unknown>;
  readonly attempt: number;
  /** `Date.now()` when the handler was called. */
  readonly at: number;
  error?: string;
}

export class FlowPlatform implements AsyncDisposable {
  /** The run's schema, read back by the tests (every service's tables are here). */
  readonly sql: pg.Pool;
  readonly schema: string;
  readonly redis: RedisNamespace;
  readonly calls: FlowCall[] = [];
  readonly #runId: string;
  readonly #cleanups: (() => unknown)[] = [];
  readonly #consumers: ConsumerHandle[] = [];

  private constructor(label: string, schema: string) {
    this.#runId = `${label}-${randomBytes(4).toString('hex')}`;
    this.schema = schema;
    this.redis = new RedisNamespace(`flows-${label}`);
    this.sql = new pg.Pool({ connectionString: DATABASE_URL, max: 2, options: `-c search_path=${schema}` });
    this.sql.on('error', () => undefined);
  }

  static async open(label: string): Promise<FlowPlatform> {
    const schema = `ew_flows_${label.replace(/[^a-z0-9]/g, '_')}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
    } finally {
      await admin.end();
    }
    return new FlowPlatform(label, schema);
  }

  /** A service's runtime: its own connections, as its own process would have. */
  runtime(
    name: string,
    options: { transport?: Transport; env?: Runtime['env']; metrics?: Runtime['metrics'] } = {},
  ): Runtime {
    const connection = this.redis.connection();
    this.#cleanups.push(() => connection.disconnect());
    let transport = options.transport;
    if (!transport) {
      // One consumer group per service, as Dapr's consumerID (the app id) makes it: services that subscribe to
      // one topic under the same subscription name (warehouse and notification both hold `return-requested`)
      // each get every event, instead of sharing them out as one group would.
      const streams = createRedisStreamsTransport({
        url: REDIS_URL,
        streamPrefix: this.redis.prefix,
        blockMs: 500,
        group: name,
      });
      this.#cleanups.push(() => streams.close());
      transport = streams;
    }
    return {
      service: { name, version: '1.0.0' },
      transport,
      idempotency: new RedisIdempotencyStore(connection, { prefix: `${this.redis.prefix}idem:` }),
      ordering: new RedisOrderingStore(connection, { prefix: `${this.redis.prefix}seq:` }),
      ...(options.env ? { env: options.env } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    };
  }

  /** A progress tracker on the run's Redis (seed 002's state), as the harness hands handlers. */
  progress(): ProgressTracker {
    const connection = this.redis.connection();
    this.#cleanups.push(() => connection.disconnect());
    return new ProgressTracker(connection, { prefix: `${this.redis.prefix}progress:` });
  }

  /**
   * What the service's `createHarnessDeps` makes on real brokers (`operation`: any of its receive operations,
   * which the context names): its stores in this run's PostgreSQL schema. Disposed with the platform.
   */
  async deps<T extends Partial<AsyncDisposable>>(
    module: { readonly createHarnessDeps: (context: HarnessDepsContext) => Promise<T> },
    service: string,
    operation: string,
  ): Promise<T> {
    const context: HarnessDepsContext = {
      mode: 'local',
      target: await platformTarget(`${service}/${operation}`),
      endpoints: { redisUrl: REDIS_URL, databaseUrl: DATABASE_URL },
      isolation: {
        runId: this.#runId,
        redisPrefix: this.redis.prefix,
        pgSchema: this.schema,
        [Symbol.asyncDispose]: async () => {},
      },
      runId: this.#runId,
    };
    const deps = await module.createHarnessDeps(context);
    this.#cleanups.push(async () => {
      await deps[Symbol.asyncDispose]?.();
    });
    return deps;
  }

  /** Wraps a service's handlers so every call (operation, event, attempt, time, error) lands in `calls`. */
  recorded<H extends object>(service: string, handlers: H): H {
    const wrapped: Record<string, EventHandler<never>> = {};
    for (const [operation, handler] of Object.entries(handlers) as [string, EventHandler<never>][]) {
      wrapped[operation] = async (event: EventEnvelope<never>, context: EventContext) => {
        const call: FlowCall = { service, operation, event, attempt: context.attempt, at: Date.now() };
        this.calls.push(call);
        try {
          await handler(event, context);
        } catch (error) {
          call.error = error instanceof Error ? error.message : String(error);
          throw error;
        }
      };
    }
    return wrapped as H;
  }

  /** Keeps a started consumer to stop first when the platform is disposed. */
  started(consumer: ConsumerHandle): ConsumerHandle {
    this.#consumers.push(consumer);
    return consumer;
  }

  onDispose(cleanup: () => unknown): void {
    this.#cleanups.push(cleanup);
  }

  callsOf(operation: string, match: (event: EventEnvelope<never>) => boolean = () => true): FlowCall[] {
    return this.calls.filter(
      (call) => call.operation === operation && match(call.event as EventEnvelope<never>),
    );
  }

  /** Rows of a query on the run's schema. */
  async rows<T extends pg.QueryResultRow>(query: string, values: unknown[] = []): Promise<T[]> {
    return (await this.sql.query<T>(query, values)).rows;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.allSettled(this.#consumers.map((consumer) => consumer.stop()));
    for (const cleanup of this.#cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    await this.sql.query(`DROP SCHEMA ${this.schema} CASCADE`).catch(() => undefined);
    await this.sql.end();
    await this.redis.dispose();
  }
}
