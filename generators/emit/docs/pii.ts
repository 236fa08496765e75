/**
 * Personal data in documentation: fields marked `x-eventwire-pii` are flagged in field tables and their values
 * replaced in examples, so published docs never carry an email address or a phone number, even a made-up one
 * (examples are often copied from real traffic).
 */

/** What a masked value reads as in an example. */
export const MASK = '***';

const segments = (pointer: string): string[] => (pointer === '' ? [] : pointer.slice(1).split('/'));
const sameSegment = (a: string, b: string) => a === b || a === '*' || b === '*';

/** Whether the field at `pointer` is personal data: marked itself, or inside a marked object or array. */
export function isPii(pointer: string, piiFields: readonly string[]): boolean {
  const field = segments(pointer);
  return piiFields.some((marked) => {
    const mark = segments(marked);
    return mark.length <= field.length && mark.every((segment, i) => sameSegment(segment, field[i]!));
  });
}

const unescapeSegment = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** A copy of `value` with the value at every marked pointer replaced by MASK (`*` matches any index or key). */
export function maskPii(value: unknown, piiFields: readonly string[]): unknown {
  let masked = structuredClone(value);
  for (const pointer of piiFields) masked = maskAt(masked, segments(pointer).map(unescapeSegment));
  return masked;
}

function maskAt(value: unknown, path: readonly string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value === undefined ? value : MASK;
  if (value === null || typeof value !== 'object') return value;
  const container = value as Record<string, unknown>;
  const keys = head === '*' ? Object.keys(container) : Object.hasOwn(container, head) ? [head] : [];
  for (const key of keys) container[key] = maskAt(container[key], rest);
  return value;
}
