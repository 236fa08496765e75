/**
 * The event a load-test iteration publishes, built the way the runtime builds it (runtime/envelope.ts,
 * runtime/cloudevents.ts) but without Node APIs, since k6 runs it. Pure functions: randomness, clock and
 * iteration number come in as arguments, so tests check the output against the runtime's own decoders.
 */
import type { Envelope, LoadEvent, Publication } from './types.ts';

const hex = (bytes: readonly number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, version 7, 74 random bits, variant 10. */
export function uuidv7(nowMs: number, random: Uint8Array): string {
  if (random.length < 10) throw new Error('uuidv7 needs 10 random bytes');
  const time = Array.from({ length: 6 }, (_, i) => Math.floor(nowMs / 2 ** (8 * (5 - i))) % 256);
  const rest = Array.from(random.slice(0, 10));
  rest[0] = 0x70 | (rest[0]! & 0x0f);
  rest[2] = 0x80 | (rest[2]! & 0x3f);
  const text = hex([...time, ...rest]);
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

export function envelopeFor(
  publication: Publication,
  event: LoadEvent,
  data: unknown,
  ids: { readonly eventId: string; readonly correlationId: string },
  nowMs: number,
): Envelope {
  return {
    event_id: ids.eventId,
    event_type: event.eventType,
    // The envelope's timestamp is the time inside its UUIDv7 event_id.
    timestamp: new Date(nowMs).toISOString(),
    version: event.version,
    data,
    metadata: {
      correlation_id: ids.correlationId,
      service: publication.service.name,
      version: publication.service.version,
    },
  };
}

/** The runtime's CloudEvents 1.0 mapping (runtime/cloudevents.ts), structured JSON mode. */
export function cloudEventOf(envelope: Envelope): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: envelope.event_id,
    type: envelope.event_type,
    source: envelope.metadata.service,
    time: envelope.timestamp,
    datacontenttype: 'application/json',
    data: envelope.data,
    correlationid: envelope.metadata.correlation_id,
    dataschemaversion: envelope.version,
    serviceversion: envelope.metadata.version,
  };
}

const decode = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

function parentAndKey(root: unknown, pointer: string): [Record<string, unknown>, string] | undefined {
  const path = pointer.split('/').slice(1).map(decode);
  const last = path.pop();
  let node = root;
  for (const key of path)
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return last !== undefined && node !== null && typeof node === 'object'
    ? [node as Record<string, unknown>, last]
    : undefined;
}

/**
 * The payload of one iteration. On an ordered channel, repeating the example would send sequence 1 of one key
 * over and over, which consumers drop as duplicates; instead iteration i goes to key `i % keys` (the example's
 * key plus a run tag and the key index, so runs never collide) with sequence `floor(i / keys) + 1`, giving
 * every key the gap-free sequence the ordering buffer expects.
 */
export function payloadFor(
  publication: Publication,
  event: LoadEvent,
  iteration: number,
  run: { readonly tag: string; readonly keys: number },
): { readonly data: unknown; readonly partitionKey?: string } {
  const data: unknown = JSON.parse(JSON.stringify(event.example ?? null));
  const ordering = publication.ordering;
  if (!ordering) return { data };
  const key = parentAndKey(data, ordering.key);
  const sequence = parentAndKey(data, ordering.sequence);
  const index = iteration % run.keys;
  if (key && typeof key[0][key[1]] === 'string') key[0][key[1]] = `${key[0][key[1]]}${run.tag}${index}`;
  if (sequence) sequence[0][sequence[1]] = Math.floor(iteration / run.keys) + 1;
  const partition = key?.[0][key[1]];
  return { data, ...(partition === undefined ? {} : { partitionKey: String(partition) }) };
}

/** Digits that tell runs apart: the scenario's start, in seconds, modulo 10^8. */
export function runTag(scenarioStartMs: number): string {
  return String(Math.floor(scenarioStartMs / 1000) % 1e8).padStart(8, '0');
}
