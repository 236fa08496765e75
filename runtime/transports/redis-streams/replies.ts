/**
 * Parsing of raw stream replies (read with `callBuffer`, so payloads stay Buffers).
 * XREADGROUP answers `[[stream, entries]]` over RESP2 but a map over RESP3, which ioredis' default "legacy"
 * reply mapping flattens to `[stream, entries]`; both shapes are accepted so any client configuration works.
 */

export interface RawEntry {
  readonly id: string;
  readonly fields: readonly Buffer[];
}

/** Entries of the single stream a XREADGROUP call asked for; null (timeout) gives none. */
export function readGroupEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const nested = Array.isArray(reply[0]);
  const entries = nested ? (reply[0] as unknown[])[1] : reply[1];
  return entryList(entries);
}

/** A list of `[id, [field, value, ...]]`; entries deleted from the stream (nil) are skipped. */
export function entryList(value: unknown): RawEntry[] {
  if (!Array.isArray(value)) return [];
  const entries: RawEntry[] = [];
  for (const item of value) {
    if (!Array.isArray(item) || item.length < 2 || !Array.isArray(item[1])) continue;
    const fields = item[1] as unknown[];
    // Read with callBuffer, the fields are Buffers already: the reply's own array is kept, not copied.
    entries.push({
      id: text(item[0]),
      fields: fields.every(Buffer.isBuffer) ? (fields as Buffer[]) : fields.map(asBuffer),
    });
  }
  return entries;
}

export function text(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString();
  return String(value);
}

function asBuffer(value: unknown): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(String(value));
}
