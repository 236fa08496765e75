/**
 * How fast this machine's CPU is right now, measured the same way on every run so figures from different days
 * (or hosts sold under the same CPU name) can be put side by side. Runtime throughput is CPU-bound on a 2-core
 * box: when the reference takes twice as long, every broker and client figure halves with it, raw baselines
 * included.
 *
 * The workload is fixed and depends on nothing in the repository: JSON round trips and SHA-256 of a ~600-byte
 * event, the kind of work a publisher and a consumer do per event. Reported as µs per iteration, the median of
 * several blocks after a warm-up block.
 */
import { createHash } from 'node:crypto';

const EVENT = {
  event_id: '0193a5f2-7c1e-7b4a-9d2f-3e8c1a6b5d40',
  event_type: 'order.created',
  timestamp: '2026-01-01T00:00:00.000Z',
  version: '1.0',
  data: {
    order_id: 'ord-000001',
    customer: { id: 'cus-42', email: 'someone@example.com', tier: 'gold' },
    lines: Array.from({ length: 4 }, (_, i) => ({ sku: `sku-${i}`, quantity: i + 1, unit_price: 9.99 + i })),
    total: 99.9,
    currency: 'EUR',
  },
  metadata: { correlation_id: 'c-1', service: 'order', version: '1.0.0' },
};

const ITERATIONS_PER_BLOCK = 2_000;

function block(): number {
  const started = performance.now();
  let checksum = 0;
  for (let i = 0; i < ITERATIONS_PER_BLOCK; i++) {
    const text = JSON.stringify({ ...EVENT, sequence: i });
    const parsed = JSON.parse(text) as { sequence: number };
    checksum += createHash('sha256').update(text).digest()[0]! + parsed.sequence;
  }
  if (checksum < 0) throw new Error('unreachable: keeps the work observable');
  return ((performance.now() - started) * 1000) / ITERATIONS_PER_BLOCK;
}

/** µs per iteration of the reference workload: median of `blocks` blocks, after one warm-up block. */
export function cpuReferenceMicros(blocks = 25): number {
  block();
  const samples = Array.from({ length: blocks }, block).sort((a, b) => a - b);
  return Math.round(samples[Math.floor(blocks / 2)]! * 100) / 100;
}

if (import.meta.main) console.log(`CPU reference: ${cpuReferenceMicros()} µs per iteration`);
