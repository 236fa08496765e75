/**
 * UUID version 7 (RFC 9562 section 5.7): 48-bit Unix milliseconds, then a counter, then random bits.
 *
 * Monotonicity follows RFC 9562 section 6.2 method 1 (fixed-length dedicated counter): the 12 `rand_a` bits
 * and the top 30 bits of `rand_b` form a 42-bit counter, seeded randomly (top bit clear, leaving room for
 * 2^41 increments) at each new millisecond and incremented within the same millisecond. If the clock goes
 * backwards the last timestamp is kept and the counter keeps counting, so ids from one process are strictly
 * increasing in both byte and string order. Counter overflow borrows the next millisecond, as the RFC allows.
 */
import { hexByte, randomPool, takeRandom } from './random-bytes.ts';

const COUNTER_LIMIT = 2 ** 42;
const TWO_24 = 2 ** 24;
const TWO_32 = 2 ** 32;

let lastMs = -1;
let counter = 0;
let prefixMs = -1;
let prefix = '';

function seedCounter(): number {
  const pool = randomPool();
  const at = takeRandom(6);
  // 41 random bits: the counter's top bit stays 0 so a millisecond can hold at least 2^41 ids.
  return (pool[at]! & 0x01) * TWO_32 * 0x100 + pool.readUInt32BE(at + 1) * 0x100 + pool[at + 5]!;
}

/** A new UUIDv7 string; `now` is injectable for tests (defaults to the wall clock). */
export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = seedCounter();
  } else {
    counter += 1;
    if (counter >= COUNTER_LIMIT) {
      lastMs += 1;
      counter = seedCounter();
    }
  }
  if (lastMs !== prefixMs) {
    // The first 13 characters only change once per millisecond: build them once.
    prefixMs = lastMs;
    const msHigh = Math.floor(lastMs / TWO_32);
    const msLow = lastMs >>> 0;
    prefix =
      hexByte(msHigh >>> 8) +
      hexByte(msHigh) +
      hexByte(msLow >>> 24) +
      hexByte(msLow >>> 16) +
      '-' +
      hexByte(msLow >>> 8) +
      hexByte(msLow) +
      '-';
  }
  const counterHigh = Math.floor(counter / TWO_24); // counter bits 41..24 (18 bits)
  const counterLow = counter % TWO_24; // counter bits 23..0
  const tail = takeRandom(4);
  const pool = randomPool();
  return (
    prefix +
    hexByte(0x70 | ((counterHigh >>> 14) & 0x0f)) +
    hexByte(counterHigh >>> 6) +
    '-' +
    hexByte(0x80 | (counterHigh & 0x3f)) +
    hexByte(counterLow >>> 16) +
    '-' +
    hexByte(counterLow >>> 8) +
    hexByte(counterLow) +
    hexByte(pool[tail]!) +
    hexByte(pool[tail + 1]!) +
    hexByte(pool[tail + 2]!) +
    hexByte(pool[tail + 3]!)
  );
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuidV7(value: string): boolean {
  return UUID_V7.test(value);
}

/** The millisecond embedded in the id `uuidv7()` returned last (saves parsing it back). */
export function lastUuidV7Time(): number {
  return lastMs;
}

/** The Unix milliseconds embedded in a UUIDv7. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
