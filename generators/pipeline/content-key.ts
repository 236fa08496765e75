/**
 * A hash of everything reachable from a value, shape included: object identity inside the graph is kept (a
 * node met again is written as a back-reference), so a recursive schema, and a subschema two messages share,
 * give other keys than their copies would. Emitters are pure functions of such graphs, so equal keys mean
 * equal output: what lets a run reuse the output of the previous one (`--watch`) for unchanged services.
 *
 * Strings are written with their length in front instead of escaped: unambiguous, and this walks megabytes.
 */
import { createHash } from 'node:crypto';

const FLUSH_AT = 1 << 16;

export function contentKey(root: unknown): string {
  const hash = createHash('sha256');
  const ids = new Map<object, number>();
  let buffer = '';
  const text = (value: string) => {
    buffer += `${value.length}:${value}`;
    if (buffer.length > FLUSH_AT) {
      hash.update(buffer);
      buffer = '';
    }
  };
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) {
      if (typeof value === 'string') text(value);
      else buffer += `${typeof value}:${String(value)};`;
      return;
    }
    const seen = ids.get(value);
    if (seen !== undefined) {
      buffer += `@${seen};`;
      return;
    }
    ids.set(value, ids.size);
    if (ArrayBuffer.isView(value)) {
      // Bytes (a file as read) go to the hash as they are, after their length.
      hash.update(`${buffer}B${value.byteLength}:`);
      buffer = '';
      hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    } else if (Array.isArray(value)) {
      buffer += '[';
      for (const item of value) walk(item);
      buffer += ']';
    } else if (value instanceof Map || value instanceof Set) {
      buffer += value instanceof Map ? 'M[' : 'S[';
      for (const entry of value) walk(entry);
      buffer += ']';
    } else {
      buffer += '{';
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        text(key);
        walk(record[key]);
      }
      buffer += '}';
    }
  };
  walk(root);
  return hash.update(buffer).digest('base64url');
}
