/**
 * The stream entry layout, identical to Dapr's `pubsub.redis` component (components-contrib pubsub/redis/redis.go)
 * so services on this transport and Dapr apps can share a stream:
 *
 *   XADD <topic> MAXLEN ~ <maxLenApprox> * data <message bytes> [metadata <JSON object of strings>]
 *
 * Dapr writes `metadata` only when the publish request carried metadata, and reads it back as a Go
 * `map[string]string`, so every value written here is a string. Dead-letter entries keep `data` and `metadata`
 * untouched (a Dapr app subscribed to the dead-letter topic reads them like any entry) and add descriptive
 * fields that Dapr ignores.
 */
import { DEAD_LETTER_HEADER } from '../../headers.ts';
import type { DeadLetterReason } from '../../transport.ts';

export const DATA_FIELD = 'data';
export const METADATA_FIELD = 'metadata';

/** Field/value arguments for XADD. */
export function entryFields(
  body: Buffer | string,
  headers: Readonly<Record<string, string>>,
): (string | Buffer)[] {
  const fields: (string | Buffer)[] = [DATA_FIELD, body];
  if (Object.keys(headers).length > 0) fields.push(METADATA_FIELD, JSON.stringify(headers));
  return fields;
}

export interface DecodedEntry {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

/**
 * Reads `data` and `metadata` from an entry's flat field list; other fields are ignored, as Dapr does. The
 * metadata JSON is parsed when `headers` is first read: the consumer pipeline never reads it (only dead-lettering
 * and tools do), and parsing it for every delivery was a visible share of the consumer's profile.
 */
export function decodeEntry(fields: readonly Buffer[]): DecodedEntry {
  let body: Buffer | undefined;
  let rawMetadata: Buffer | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!;
    if (sameBytes(name, DATA_NAME)) body = fields[i + 1];
    else if (sameBytes(name, METADATA_NAME)) rawMetadata = fields[i + 1];
  }
  return new LazyEntry(body ?? Buffer.alloc(0), rawMetadata);
}

/** Field names are a few bytes: compared here, without `Buffer.equals`' call into C++ for every field. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const DATA_NAME = Buffer.from(DATA_FIELD);
const METADATA_NAME = Buffer.from(METADATA_FIELD);

class LazyEntry implements DecodedEntry {
  readonly body: Buffer;
  readonly #rawMetadata: Buffer | undefined;
  #headers: Record<string, string> | undefined;

  constructor(body: Buffer, rawMetadata: Buffer | undefined) {
    this.body = body;
    this.#rawMetadata = rawMetadata;
  }

  get headers(): Record<string, string> {
    this.#headers ??= parseMetadata(this.#rawMetadata);
    return this.#headers;
  }
}

/** Like Dapr, a malformed `metadata` value does not stop delivery; non-string values are stringified. */
function parseMetadata(raw: Buffer | undefined): Record<string, string> {
  if (raw === undefined || raw.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(raw.toString());
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) {
      headers[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    return headers;
  } catch {
    return {};
  }
}

export interface DeadLetterDetails {
  readonly subscription: string;
  readonly reason: DeadLetterReason;
  readonly error: string;
  readonly attempts: number;
  readonly originalId: string;
  readonly originalStream: string;
  readonly group: string;
}

/**
 * A dead letter keeps `data` as it was and `metadata` with the runtime's dead-letter headers added (the same
 * names every transport uses, so DLQ tooling reads them from `Delivery.headers` anywhere), plus plain fields
 * for people reading the stream with redis-cli.
 */
export function deadLetterFields(entry: DecodedEntry, details: DeadLetterDetails): (string | Buffer)[] {
  const metadata = {
    ...entry.headers,
    [DEAD_LETTER_HEADER.reason]: details.reason,
    [DEAD_LETTER_HEADER.error]: details.error,
    [DEAD_LETTER_HEADER.subscription]: details.subscription,
    [DEAD_LETTER_HEADER.originalAddress]: details.originalStream,
    [DEAD_LETTER_HEADER.attempts]: String(details.attempts),
  };
  return [
    DATA_FIELD,
    entry.body,
    METADATA_FIELD,
    JSON.stringify(metadata),
    'reason',
    details.reason,
    'error',
    details.error,
    'attempts',
    String(details.attempts),
    'original_id',
    details.originalId,
    'original_stream',
    details.originalStream,
    'consumer_group',
    details.group,
    'dead_lettered_at',
    new Date().toISOString(),
  ];
}

/** `MAXLEN ~ N` arguments, or none when trimming is disabled. */
export function trimArgs(maxLenApprox: number): string[] {
  return maxLenApprox > 0 ? ['MAXLEN', '~', String(maxLenApprox)] : [];
}
