/**
 * Personal data (fields marked `x-eventwire-pii` in the contract) in everything eventwire writes. This module
 * is the only place that masks values or hashes keys; the consumer pipeline, the transports' dead-letter copies,
 * generated documentation and the runtime's logger all call it.
 *
 *   maskPii(value, pointers)      a copy of a payload with every marked value replaced by `***`
 *   piiValues(value, pointers)    the marked values present in a payload, as text (what redactText removes)
 *   redactText(text, values)      a text (error, reason, log line) with those values replaced and its length bounded
 *   redactor(value, pointers)     the two above bound to one payload: `(text) => safe text`
 *   hashKeyPart(value)            the stand-in for a marked value used in a key (idempotency, ordering)
 *   isPii(pointer, pointers)      whether a field is marked itself or lies inside a marked object or array
 *
 * Pointers are JSON pointers into the payload (`/customer/email`); a `*` segment stands for any array index or map
 * key. The generator writes them into each subscription and publication spec (`pii`).
 */
import { createHash } from 'node:crypto';
import { LIMITS, truncateText } from './limits.ts';

/** What a masked value reads as. */
export const PII_MASK = '***';

/** Values shorter than this are not searched for in text: masking every `1` or `ab` would garble the text. */
const MIN_REDACTED_LENGTH = 3;

const segments = (pointer: string): string[] => (pointer === '' ? [] : pointer.slice(1).split('/'));
const sameSegment = (a: string, b: string) => a === b || a === '*' || b === '*';
const unescapeSegment = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** Whether the field at `pointer` is personal data: marked itself, or inside a marked object or array. */
export function isPii(pointer: string, pointers: readonly string[]): boolean {
  const field = segments(pointer);
  return pointers.some((marked) => {
    const mark = segments(marked);
    return mark.length <= field.length && mark.every((segment, i) => sameSegment(segment, field[i]!));
  });
}

/** A copy of `value` with the value at every marked pointer replaced by PII_MASK; `value` itself is untouched. */
export function maskPii<T>(value: T, pointers: readonly string[]): T {
  if (pointers.length === 0) return value;
  let masked: unknown = structuredClone(value);
  for (const pointer of pointers) masked = maskAt(masked, segments(pointer).map(unescapeSegment));
  return masked as T;
}

function maskAt(value: unknown, path: readonly string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value === undefined ? value : PII_MASK;
  if (value === null || typeof value !== 'object') return value;
  const container = value as Record<string, unknown>;
  const keys = head === '*' ? Object.keys(container) : Object.hasOwn(container, head) ? [head] : [];
  for (const key of keys) container[key] = maskAt(container[key], rest);
  return value;
}

/** The pointers (without `*`) of the marked values actually present in `value`. */
export function presentPii(value: unknown, pointers: readonly string[]): string[] {
  const found: string[] = [];
  for (const pointer of pointers) {
    visit(value, segments(pointer).map(unescapeSegment), '', (_leaf, at) => found.push(at));
  }
  return found;
}

/**
 * The marked values present in `value` as strings (every string, number and boolean leaf under a marked field),
 * longest first, without duplicates, so redactText replaces `anna.berg@example.com` before `anna`.
 */
export function piiValues(value: unknown, pointers: readonly string[]): string[] {
  const values = new Set<string>();
  for (const pointer of pointers) {
    visit(value, segments(pointer).map(unescapeSegment), '', (leaf) => collectLeaves(leaf, values));
  }
  return [...values].filter((text) => text.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
}

function visit(
  value: unknown,
  path: readonly string[],
  at: string,
  found: (leaf: unknown, at: string) => void,
): void {
  const [head, ...rest] = path;
  if (head === undefined) {
    if (value !== undefined) found(value, at);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const container = value as Record<string, unknown>;
  const keys = head === '*' ? Object.keys(container) : Object.hasOwn(container, head) ? [head] : [];
  for (const key of keys) {
    visit(container[key], rest, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, found);
  }
}

/** Every primitive under `value` (iterative: a marked object may nest deeply). */
function collectLeaves(value: unknown, into: Set<string>): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') into.add(next);
    else if (typeof next === 'number' || typeof next === 'boolean') into.add(String(next));
    else if (next !== null && typeof next === 'object')
      for (const child of Object.values(next)) stack.push(child);
  }
}

/**
 * `text` with every occurrence of `values` replaced by PII_MASK, then cut to `max` characters (LIMITS.errorText
 * by default). Replacing before cutting means a value that straddles the cut cannot leak its first half.
 */
export function redactText(text: string, values: readonly string[], max: number = LIMITS.errorText): string {
  let safe = text;
  for (const value of values) if (safe.includes(value)) safe = safe.replaceAll(value, PII_MASK);
  return truncateText(safe, max);
}

/**
 * redactText bound to the marked values of one payload. The values are looked up on first use: a consumer binds
 * one per delivery, and most deliveries succeed without writing any text.
 */
export function redactor(value: unknown, pointers: readonly string[] | undefined): (text: string) => string {
  let values: readonly string[] | undefined;
  return (text) => {
    values ??= pointers && pointers.length > 0 ? piiValues(value, pointers) : [];
    return redactText(text, values);
  };
}

/**
 * The stand-in for a marked value inside a key: `sha256:` and the base64url SHA-256 of the value. Equal values
 * give equal keys (so idempotency and ordering still work) while Redis key names, PostgreSQL rows and error
 * messages never show the value. It is a pseudonym, not encryption: whoever can read the keys and guess a value
 * (an email address from a list) can confirm the guess.
 */
export function hashKeyPart(value: string): string {
  return `sha256:${createHash('sha256').update(value, 'utf8').digest('base64url')}`;
}
