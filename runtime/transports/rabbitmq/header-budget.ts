/**
 * Copies eventwire publishes (retry and dead-letter copies) must encode: amqplib encodes a header table in a
 * fixed 64 KiB buffer and throws when it does not fit. A message that arrived with 65,300 bytes of headers
 * cannot be copied with them plus eventwire's own, so its copy was refused and the original requeued, forever.
 * The copy keeps eventwire's headers and as many of the original ones as fit, smallest first, and names the
 * others in `x-eventwire-dropped-headers`; the body is never touched.
 */
import { truncateText } from '../../limits.ts';
import { HEADER } from './names.ts';

/** amqplib's table buffer is 65,536 bytes; the estimate below is an upper bound, this leaves room to spare. */
export const HEADER_TABLE_BUDGET = 60 * 1024;

/** Upper bound of the bytes amqplib needs to encode one field value (lib/codec.js, encodeFieldValue). */
export function fieldValueBytes(root: unknown): number {
  let bytes = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') bytes += 5 + Buffer.byteLength(value);
    else if (Buffer.isBuffer(value)) bytes += 5 + value.length;
    else if (Array.isArray(value)) {
      bytes += 5;
      for (const item of value) stack.push(item);
    } else if (value !== null && typeof value === 'object') {
      bytes += 5;
      for (const [key, child] of Object.entries(value)) {
        bytes += 1 + Buffer.byteLength(key);
        stack.push(child);
      }
    } else bytes += 9; // numbers, booleans, null: a tag and at most 8 bytes
  }
  return bytes;
}

function entryBytes(name: string, value: unknown): number {
  return 1 + Buffer.byteLength(name) + fieldValueBytes(value);
}

/**
 * `own` (always kept) plus the `original` headers that fit the budget, smallest first, in their original order;
 * the names of those left out are listed in HEADER.droppedHeaders.
 */
export function fitHeaders(
  original: Readonly<Record<string, unknown>>,
  own: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  let used = 4;
  for (const [name, value] of Object.entries(own)) used += entryBytes(name, value);
  const sizes = Object.entries(original)
    .filter(([name]) => !(name in own))
    .map(([name, value]) => ({ name, size: entryBytes(name, value) }));
  const total = sizes.reduce((sum, { size }) => sum + size, used);
  if (total <= HEADER_TABLE_BUDGET) return { ...original, ...own };
  // Reserve room for the list of dropped names (short strings, at most 1000 characters in all).
  used += entryBytes(HEADER.droppedHeaders, 'x'.repeat(1000));
  const kept = new Set<string>();
  const dropped: string[] = [];
  for (const { name, size } of [...sizes].sort((a, b) => a.size - b.size)) {
    if (used + size <= HEADER_TABLE_BUDGET) {
      used += size;
      kept.add(name);
    } else dropped.push(name);
  }
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(original)) if (kept.has(name)) headers[name] = value;
  return { ...headers, ...own, [HEADER.droppedHeaders]: truncateText(dropped.join(','), 1000) };
}
