/**
 * Shared test support for runtime tests: contract-like specs, ajv-compiled validators (the same shape as the
 * generated standalone ones) and isolated connections to the real Redis and PostgreSQL of the machine.
 */
import { randomBytes } from 'node:crypto';
import { Ajv } from 'ajv';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { EventEnvelope } from '../api.ts';
import type { CompiledValidator, PublicationSpec, SubscriptionSpec } from '../spec.ts';
import type { OutgoingMessage } from '../transport.ts';
import { MemoryTransport } from '../transports/memory.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export interface ProductCreated {
  readonly product_id: string;
  readonly sku: string;
  readonly price: number;
  readonly sequence?: number;
}

const ajv = new Ajv({ allErrors: true });

export const validateProductCreated = ajv.compile<ProductCreated>({
  type: 'object',
  required: ['product_id', 'sku', 'price'],
  additionalProperties: false,
  properties: {
    product_id: { type: 'string', minLength: 1 },
    sku: { type: 'string', minLength: 1 },
    price: { type: 'number', minimum: 0 },
    sequence: { type: 'integer', minimum: 1 },
  },
}) as CompiledValidator<ProductCreated>;

/** A validator that accepts any payload: for tests about what happens around validation, not in it. */
export function acceptingValidator<T>(): CompiledValidator<T> {
  return Object.assign((_data: unknown): _data is T => true, { errors: null });
}

export function product(index: number, extra: Partial<ProductCreated> = {}): ProductCreated {
  return { product_id: `p-${index}`, sku: `SKU-${index}`, price: index, ...extra };
}

export function publicationSpec(overrides: Partial<PublicationSpec> = {}): PublicationSpec {
  return {
    operation: 'publishProductCreated',
    service: 'catalog',
    eventType: 'catalog.product.created',
    version: '1.0',
    destination: { kind: 'topic', pubsub: 'pubsub', topic: 'catalog.product.created' },
    parameters: [],
    ...overrides,
  };
}

export function subscriptionSpec(overrides: Partial<SubscriptionSpec> = {}): SubscriptionSpec {
  return {
    operation: 'onProductCreated',
    service: 'search',
    name: 'product-created',
    route: '/events/product-created',
    source: { kind: 'topic', pubsub: 'pubsub', topic: 'catalog.product.created' },
    eventTypes: ['catalog.product.created'],
    retry: {
      maxRetries: 3,
      backoff: 'exponential',
      initialIntervalMs: 1000,
      maxIntervalMs: 60_000,
      multiplier: 2,
      delaysMs: [],
    },
    deadLetter: { address: 'dlq.product-created' },
    idempotency: { key: '$message.header#/event_id', ttlMs: 24 * 3600_000, store: 'memory' },
    handlerTimeoutMs: 5000,
    concurrency: 1,
    ...overrides,
  };
}

export const productValidators = { 'catalog.product.created': validateProductCreated } as Readonly<
  Record<string, CompiledValidator<unknown>>
>;

export function redisClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}

/** A pool whose connections default to a fresh schema, and a cleanup that drops it. */
export async function pgSchema(
  prefix: string,
): Promise<{ pool: pg.Pool; schema: string; drop(): Promise<void> }> {
  const schema = uniqueName(prefix).toLowerCase();
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: 10,
    options: `-c search_path="${schema}"`,
  });
  pool.on('error', () => undefined);
  return {
    pool,
    schema,
    async drop() {
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

/** Poll until `check` returns true (robust on a loaded machine, unlike fixed sleeps). */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function decodeBody(body: Buffer): EventEnvelope<ProductCreated> {
  return JSON.parse(body.toString('utf8')) as EventEnvelope<ProductCreated>;
}

/** An in-memory transport that records how many messages each broker call carried. */
export function countingTransport(): { transport: MemoryTransport; calls: number[] } {
  const transport = new MemoryTransport();
  const calls: number[] = [];
  const publish = transport.publish.bind(transport);
  transport.publish = async (messages: readonly OutgoingMessage[]) => {
    calls.push(messages.length);
    return publish(messages);
  };
  return { transport, calls };
}
