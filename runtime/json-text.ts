/**
 * Pieces of JSON text written directly (the envelope and its CloudEvent), byte for byte what JSON.stringify
 * writes for the same members. Publishing writes both once per event, so the strings that are constants of a
 * publication (event type, schema version, service name and version) are quoted once, not per event.
 */

// Bounded: the constants of a process's publications are few; anything beyond the bound is quoted per call.
const MAX_CACHED = 256;
const quotedConstants = new Map<string, string>();

/**
 * `JSON.stringify(value)` of a value that repeats from one event to the next (a publication's constants);
 * undefined when JSON leaves the member out. Typed as strings, but whatever a caller passed is written as
 * JSON.stringify would.
 */
export function constantJson(value: unknown): string | undefined {
  if (typeof value !== 'string') return JSON.stringify(value) as string | undefined;
  let json = quotedConstants.get(value);
  if (json === undefined) {
    json = JSON.stringify(value) as string | undefined;
    if (json !== undefined && quotedConstants.size < MAX_CACHED) quotedConstants.set(value, json);
  }
  return json;
}

/** `,"name":<json>` as JSON.stringify writes a member whose value is `json`, or nothing when it has none. */
export function memberText(name: string, json: string | undefined): string {
  return json === undefined ? '' : `,"${name}":${json}`;
}

/** `JSON.stringify(value)`: undefined (the member is left out) when the value has no JSON form. */
export function jsonOf(value: unknown): string | undefined {
  return JSON.stringify(value) as string | undefined;
}

/**
 * An upper bound of a string's UTF-8 byte length, counted without reading it: a UTF-16 code unit never takes
 * more than 3 bytes (a surrogate pair takes 4 for its 2 units, a lone surrogate 3 as U+FFFD).
 */
export function maxUtf8Bytes(length: number): number {
  return length * 3;
}
