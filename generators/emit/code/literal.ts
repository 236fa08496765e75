/**
 * Plain data -> TypeScript literal expression (objects multi-line, keys quoted only when needed, strings in
 * single quotes). Property order is the value's own order, which the spec builders fix by construction.
 */
import ts from 'typescript';
import { propertyName, str } from './print.ts';

const factory = ts.factory;

/** `86400000` -> `86_400_000`: durations in milliseconds are read far more often than written. */
function groupDigits(value: number): string {
  const text = String(value);
  return Number.isInteger(value) && value >= 10_000 ? text.replace(/\B(?=(\d{3})+$)/g, '_') : text;
}

export function literal(value: unknown): ts.Expression {
  if (value === null) return factory.createNull();
  if (typeof value === 'string') return str(value);
  if (typeof value === 'boolean') return value ? factory.createTrue() : factory.createFalse();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot print the number ${value} as a literal`);
    const magnitude = factory.createNumericLiteral(groupDigits(Math.abs(value)));
    return value < 0 ? factory.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, magnitude) : magnitude;
  }
  if (Array.isArray(value)) {
    const items = value.map(literal);
    return factory.createArrayLiteralExpression(
      items,
      value.some((v) => typeof v === 'object' && v !== null),
    );
  }
  if (typeof value === 'object') {
    const properties = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([key, v]) => factory.createPropertyAssignment(propertyName(key), literal(v)));
    return factory.createObjectLiteralExpression(properties, properties.length > 0);
  }
  throw new TypeError(`cannot print a ${typeof value} as a literal`);
}
