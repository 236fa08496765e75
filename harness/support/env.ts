/**
 * Where the harness finds the real brokers, and unique names that keep concurrent runs (other test files,
 * other engineers, CI shards) apart on shared brokers.
 */
import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** `<label>-<time>-<random>`: sortable by creation and collision-free across processes. */
export function uniqueName(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
