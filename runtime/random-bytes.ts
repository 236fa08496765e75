/**
 * Cryptographic random bytes drawn from a pooled buffer: ids and trace ids are generated per event, and one
 * `randomFillSync` per 4 KiB instead of per id keeps the per-event cost of publishing low.
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/** Offset into `randomPool()` of `count` fresh random bytes (valid until the next call). */
export function takeRandom(count: number): number {
  if (offset + count > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += count;
  return start;
}

export function randomPool(): Buffer {
  return pool;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function hexByte(byte: number): string {
  return HEX[byte & 0xff]!;
}

/** `count` random bytes as lower-case hex. */
export function randomHex(count: number): string {
  const start = takeRandom(count);
  return pool.toString('hex', start, start + count);
}
