/**
 * Proves that two schemas share no instance (true), or gives up (false). Used for oneOf exclusivity, to
 * recognise a new variant rather than a changed one, and for `not`/`if` on the right-hand side.
 * Typical proofs: different types, disjoint enums/consts, disjoint numeric ranges, or a property both
 * require whose schemas are disjoint (a discriminator such as `kind: {const: card}` vs `{const: bank}`).
 */
import type { JsonSchema } from '../../../generators/model/types.ts';
import { evaluate } from './evaluate.ts';
import { schemaId } from './keywords.ts';
import {
  type Atom,
  type Bound,
  expand,
  finiteValues,
  integerHigh,
  integerLow,
  type Norm,
  normalize,
  type Piece,
  propertySchemas,
} from './normalize.ts';
import type { SubsetContext } from './schema-subset.ts';

export function provablyDisjoint(
  ctx: SubsetContext,
  a: readonly JsonSchema[],
  b: readonly JsonSchema[],
): boolean {
  const key = `${a.map(schemaId).sort().join(',')}|${b.map(schemaId).sort().join(',')}`;
  // Revisiting a pair means the proof would be circular: give up on this path.
  if (ctx.disjointInProgress.has(key) || --ctx.steps < 0) return false;
  ctx.disjointInProgress.add(key);
  try {
    const pa = expand(a);
    const pb = expand(b);
    if (!pa || !pb) return false;
    return pa.every((x) => pb.every((y) => piecesDisjoint(ctx, x, y)));
  } finally {
    ctx.disjointInProgress.delete(key);
  }
}

function piecesDisjoint(ctx: SubsetContext, x: Piece, y: Piece): boolean {
  const nx = normalize(x.members);
  const ny = normalize(y.members);
  if (nx.empty || ny.empty) return true;
  const rejects = (members: readonly JsonSchema[], v: unknown) =>
    members.some((m) => evaluate(m, v).valid === false);
  const fx = finiteValues(x.members, nx);
  if (fx) return fx.every((v) => rejects(y.members, v));
  const fy = finiteValues(y.members, ny);
  if (fy) return fy.every((v) => rejects(x.members, v));
  const common = [...nx.atoms].filter((t) => ny.atoms.has(t));
  return common.every((atom) => atomDisjoint(ctx, atom, nx, ny));
}

function atomDisjoint(ctx: SubsetContext, atom: Atom, x: Norm, y: Norm): boolean {
  switch (atom) {
    case 'integer':
      return rangesDisjoint(x.number.min, x.number.max, y.number.min, y.number.max, true);
    case 'fraction':
      return rangesDisjoint(x.number.min, x.number.max, y.number.min, y.number.max, false);
    case 'string':
      return countsDisjoint(x.string.minLength, x.string.maxLength, y.string.minLength, y.string.maxLength);
    case 'array':
      return countsDisjoint(x.array.minItems, x.array.maxItems, y.array.minItems, y.array.maxItems);
    case 'object':
      return objectsDisjoint(ctx, x, y);
    default:
      return false;
  }
}

function below(upper: Bound | undefined, lower: Bound | undefined, integers: boolean): boolean {
  if (!upper || !lower) return false;
  if (integers) return integerHigh(upper) < integerLow(lower);
  return upper.value < lower.value || (upper.value === lower.value && (upper.exclusive || lower.exclusive));
}

function rangesDisjoint(
  xMin: Bound | undefined,
  xMax: Bound | undefined,
  yMin: Bound | undefined,
  yMax: Bound | undefined,
  integers: boolean,
): boolean {
  return below(xMax, yMin, integers) || below(yMax, xMin, integers);
}

function countsDisjoint(
  xMin: number,
  xMax: number | undefined,
  yMin: number,
  yMax: number | undefined,
): boolean {
  return (xMax !== undefined && xMax < yMin) || (yMax !== undefined && yMax < xMin);
}

function objectsDisjoint(ctx: SubsetContext, x: Norm, y: Norm): boolean {
  const never = (n: Norm, name: string) => {
    const schemas = propertySchemas(n.object, name).schemas.map((s) => s.schema);
    return schemas.length > 0 && normalize(schemas).empty;
  };
  for (const name of x.object.required) {
    if (never(y, name)) return true;
    if (!y.object.required.has(name)) continue;
    const xs = propertySchemas(x.object, name).schemas.map((s) => s.schema);
    const ys = propertySchemas(y.object, name).schemas.map((s) => s.schema);
    if (provablyDisjoint(ctx, xs, ys)) return true;
  }
  for (const name of y.object.required) if (never(x, name)) return true;
  return false;
}
