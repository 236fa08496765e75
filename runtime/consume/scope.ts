/**
 * The delivery being handled, reachable from inside a handler without widening the handler signature:
 * transactional helpers (PostgreSQL idempotency) read the idempotency key and TTL from here.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEnvelope } from '../api.ts';

export interface DeliveryScope {
  readonly subscription: string;
  readonly idempotencyKey: string;
  readonly idempotencyTtlMs: number;
  readonly envelope: EventEnvelope<unknown>;
  readonly attempt: number;
}

const storage = new AsyncLocalStorage<DeliveryScope>();

export function runInDeliveryScope<R>(scope: DeliveryScope, fn: () => R): R {
  return storage.run(scope, fn);
}

/** The delivery the current handler is processing, or undefined outside the consumer pipeline. */
export function currentDelivery(): DeliveryScope | undefined {
  return storage.getStore();
}
