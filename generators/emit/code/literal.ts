/**
 * Plain data -> TypeScript literal expression (objects multi-line, keys quoted only when needed, strings in
 * single quotes). Property order is the value's own order, which the spec builders fix by construction.
 */
import { propertyName, str } from './print.ts';
import * as S from './syntax.ts';

/** Characters of scalar items an array may have on one line (a long list of pointers goes one a line). */
const MAX_INLINE_ARRAY = 80;

/** `86400000` -> `86_400_000`: durations in milliseconds are read far more often than written. */
function groupDigits(value: number): string {
  const text = String(value);
  return Number.isInteger(value) && value >= 10_000 ? text.replace(/\B(?=(\d{3})+$)/g, '_') : text;
}

export function literal(value: unknown): S.Expression {
  if (value === null) return S.nullLiteral();
  if (typeof value === 'string') return str(value);
  if (typeof value === 'boolean') return value ? S.trueLiteral() : S.falseLiteral();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot print the number ${value} as a literal`);
    const magnitude = S.numericLiteral(groupDigits(Math.abs(value)));
    return value < 0 ? S.negative(magnitude) : magnitude;
  }
  if (Array.isArray(value)) {
    const items = value.map(literal);
    // One item a line when the items are objects, or when one line would run past a reader's screen.
    const width = value.reduce((sum: number, v) => sum + String(v).length + 4, 0);
    return S.arrayLiteral(
      items,
      width > MAX_INLINE_ARRAY || value.some((v) => typeof v === 'object' && v !== null),
    );
  }
  if (typeof value === 'object') {
    const properties = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([key, v]) => S.propertyAssignment(propertyName(key), literal(v)));
    return S.objectLiteral(properties, properties.length > 0);
  }
  throw new TypeError(`cannot print a ${typeof value} as a literal`);
}
