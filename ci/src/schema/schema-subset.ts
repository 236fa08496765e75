/**
 * Structural JSON Schema inclusion: does every instance `A` accepts also satisfy `B`?
 *
 * This is the engine behind `topology/payload-mismatch` (publisher ⊆ subscriber) and `eventwire diff`
 * (new ⊆ old for what a service sends, old ⊆ new for what it receives). It reasons over resolved schemas:
 * types, enum/const, numeric and string bounds, formats, patterns, array items and tuples, object properties,
 * required, additionalProperties/patternProperties, allOf/anyOf/oneOf and boolean schemas. Recursive schemas
 * (cyclic object graphs) are compared co-inductively: a pair already under comparison is assumed included.
 *
 * The answer is three-valued. `yes` is only returned when inclusion is proven; `no` comes with issues that
 * name a concrete kind of value A allows and B rejects; `unknown` is returned where the question cannot be
 * decided structurally (two different patterns, `not`, if/then/else, dependentSchemas, unevaluated*).
 */
import type { JsonSchema } from '../../../generators/model/types.ts';
import { compareBase } from './compare-base.ts';
import { provablyDisjoint } from './disjoint.ts';
import { evaluate } from './evaluate.ts';
import {
  describeValue,
  fromIssues,
  type IssueKind,
  issue,
  prefixIssues,
  type SubsetIssue,
  type SubsetResult,
  uncertain,
  YES,
} from './issues.ts';
import { acceptsEverything, asSchema, isSchemaObject, type SchemaObject, schemaId } from './keywords.ts';
import { type Atom, expand, finiteValues, normalize, type Piece } from './normalize.ts';
import { schemaEqual } from './schema-equal.ts';

export interface SubsetContext {
  readonly inProgress: Set<string>;
  readonly memo: Map<string, SubsetResult>;
  readonly disjointInProgress: Set<string>;
  /** Work budget: huge or adversarial schemas end as `unknown` instead of running for minutes. */
  steps: number;
}

export function newContext(steps = 200_000): SubsetContext {
  return { inProgress: new Set(), memo: new Map(), disjointInProgress: new Set(), steps };
}

/** Is every instance of `a` accepted by `b`? */
export function isSubset(a: JsonSchema, b: JsonSchema, context: SubsetContext = newContext()): SubsetResult {
  return subsetOf(context, [a], b);
}

/** Same question for a conjunction of schemas on the left (how sub-schemas are compared). */
export function subsetOf(ctx: SubsetContext, a: readonly JsonSchema[], b: JsonSchema): SubsetResult {
  if (acceptsEverything(b)) return YES;
  if (a.some((m) => m === b || schemaEqual(m, b))) return YES;
  const key = `${a.map(schemaId).sort().join(',')}|${schemaId(b)}`;
  const known = ctx.memo.get(key);
  if (known) return known;
  if (ctx.inProgress.has(key)) return YES;
  if (--ctx.steps < 0) return fromIssues([issue('undecidable', 'the schemas are too large to compare')]);
  ctx.inProgress.add(key);
  try {
    const result = compute(ctx, a, b);
    ctx.memo.set(key, result);
    return result;
  } finally {
    ctx.inProgress.delete(key);
  }
}

function compute(ctx: SubsetContext, a: readonly JsonSchema[], b: JsonSchema): SubsetResult {
  const pieces = expand(a);
  if (pieces === undefined) {
    return fromIssues([issue('undecidable', '{L} has too many anyOf/oneOf combinations to compare')]);
  }
  const issues: SubsetIssue[] = [];
  for (const piece of pieces) issues.push(...comparePiece(ctx, piece, b).issues);
  return fromIssues(dedupe(issues));
}

export function comparePiece(ctx: SubsetContext, piece: Piece, b: JsonSchema): SubsetResult {
  const norm = normalize(piece.members);
  if (norm.empty) return YES;
  const finite = finiteValues(piece.members, norm)?.filter((v) =>
    piece.excluded.every((e) => evaluate(e, v).valid !== true),
  );
  if (finite !== undefined) return compareFinite(piece.members, finite, b);
  if (b === false)
    return fromIssues([issue('type', '{L} allows values here; {R} allows none', { keyword: 'false' })]);
  if (b === true) return YES;
  const issues: SubsetIssue[] = [...compareBase(ctx, norm, b)];
  if (Array.isArray(b.allOf)) {
    for (const [i, sub] of b.allOf.entries()) {
      issues.push(...prefixIssues(subsetOf(ctx, piece.members, asSchema(sub) ?? true).issues, `/allOf/${i}`));
    }
  }
  for (const kind of ['anyOf', 'oneOf'] as const) {
    const variants = b[kind];
    if (Array.isArray(variants)) {
      const list = variants.map((v) => asSchema(v) ?? true);
      issues.push(...prefixIssues(compareUnion(ctx, piece, norm.atoms, list, kind).issues, `/${kind}`));
    }
  }
  issues.push(...compareOpaque(ctx, piece.members, b));
  // Constraints of A this engine does not model only make A smaller, so "yes" stays sound, but a "no" might
  // be an instance they exclude.
  return fromIssues(norm.opaque.length > 0 ? uncertain(issues) : issues);
}

/** A enumerable: check every value it allows against B exactly. */
function compareFinite(
  members: readonly JsonSchema[],
  values: readonly unknown[],
  b: JsonSchema,
): SubsetResult {
  const grouped = new Map<
    string,
    {
      kind: IssueKind;
      values: unknown[];
      certain: boolean;
      keyword: string;
      schemaPath: string;
      instancePath: string[];
    }
  >();
  for (const value of values) {
    const r = evaluate(b, value);
    if (r.valid === true) continue;
    const keyword = r.keyword ?? 'enum';
    const instancePath = pointerSegments(r.instancePath ?? '');
    const key = `${keyword}|${r.schemaPath}|${instancePath.join('/')}`;
    const entry = grouped.get(key) ?? {
      kind: kindOfKeyword(keyword, r.schemaPath ?? ''),
      values: [],
      certain: true,
      keyword,
      schemaPath: r.schemaPath ?? '',
      instancePath,
    };
    entry.values.push(value);
    entry.certain &&= r.valid === false && members.every((m) => evaluate(m, value).valid === true);
    grouped.set(key, entry);
  }
  return fromIssues(
    [...grouped.values()].map((g) =>
      issue(g.kind, `{L} allows ${listValues(g.values)}, which {R} rejects (\`${g.keyword}\`)`, {
        certain: g.certain,
        keyword: g.keyword,
        schemaPath: g.schemaPath,
        instancePath: g.instancePath,
      }),
    ),
  );
}

/** At most five values, then how many more. */
function listValues(values: readonly unknown[]): string {
  const shown = values.slice(0, 5).map(describeValue).join(', ');
  return values.length > 5 ? `${shown} and ${values.length - 5} more` : shown;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^[0-9]+$/.test(s) ? `[${s}]` : s));
}

export function kindOfKeyword(keyword: string, schemaPath: string): IssueKind {
  switch (keyword) {
    case 'type':
      return 'type';
    case 'enum':
    case 'const':
    case 'not':
      return 'enum';
    case 'required':
    case 'dependentRequired':
    case 'dependencies':
      return 'required';
    case 'format':
      return 'format';
    case 'pattern':
      return 'pattern';
    case 'anyOf':
    case 'oneOf':
      return 'variant';
    case 'propertyNames':
      return 'property-forbidden';
    case 'false':
      return /\/additionalProperties$/.test(schemaPath) || /\/properties\/[^/]+$/.test(schemaPath)
        ? 'property-forbidden'
        : 'type';
    case 'if':
    case '$ref':
    case 'unevaluatedProperties':
    case 'unevaluatedItems':
      return 'undecidable';
    default:
      return 'bound';
  }
}

/** `B = anyOf/oneOf [B1..Bn]`: find the variant that contains the piece (and, for oneOf, only that one). */
function compareUnion(
  ctx: SubsetContext,
  piece: Piece,
  atoms: ReadonlySet<Atom>,
  variants: readonly JsonSchema[],
  kind: 'anyOf' | 'oneOf',
): SubsetResult {
  const results = variants.map((v) => subsetOf(ctx, piece.members, v));
  const k = results.findIndex((r) => r.verdict === 'yes');
  if (k >= 0) return kind === 'anyOf' ? YES : exclusivity(ctx, piece, variants, k);
  // `type: [string, null]` against `anyOf: [{type: string}, {type: null}]`: split the piece by type.
  const typeGroups = splitByType(atoms);
  if (typeGroups.length > 1) {
    const parts = typeGroups.map((t) =>
      compareUnion(
        ctx,
        { ...piece, members: [...piece.members, TYPE_SCHEMAS[t] ?? true] },
        new Set(),
        variants,
        kind,
      ),
    );
    if (parts.every((p) => p.verdict === 'yes')) return YES;
  }
  const candidates = variants
    .map((_, i) => ({ i, r: results[i] as SubsetResult }))
    .filter(({ i }) => !provablyDisjoint(ctx, piece.members, [variants[i] as JsonSchema]));
  const anyUnknown = results.some((r) => r.verdict === 'unknown');
  if (candidates.length === 0) {
    return fromIssues([
      issue('variant', `{L} allows values that match none of {R}'s ${kind} variants`, {
        keyword: kind,
        certain: !anyUnknown,
      }),
    ]);
  }
  // Report through the closest variant, so a changed enum inside a variant reads as that change.
  const best = candidates.reduce((x, y) => (score(y.r) < score(x.r) ? y : x));
  const nested = prefixIssues(best.r.issues, `/${best.i}`);
  return fromIssues(anyUnknown ? uncertain(nested) : nested);
}

function score(r: SubsetResult): number {
  return r.issues.filter((i) => i.certain).length * 10 + r.issues.length;
}

/** oneOf: the piece fits variant k; every other variant must be unable to match the piece's instances. */
function exclusivity(
  ctx: SubsetContext,
  piece: Piece,
  variants: readonly JsonSchema[],
  k: number,
): SubsetResult {
  const issues: SubsetIssue[] = [];
  for (const [j, other] of variants.entries()) {
    if (j === k) continue;
    if (provablyDisjoint(ctx, piece.members, [other])) continue;
    // Instances of the piece match none of its own excluded siblings; if `other` lies inside one, it cannot match.
    if (piece.excluded.some((e) => subsetOf(ctx, [other], e).verdict === 'yes')) continue;
    issues.push(
      issue(
        'variant',
        `{L}'s values may match both variant ${k} and variant ${j} of {R}'s oneOf, which then rejects them`,
        {
          certain: false,
          keyword: 'oneOf',
          schemaPath: `/${j}`,
        },
      ),
    );
  }
  return fromIssues(issues);
}

const TYPE_SCHEMAS: Record<string, JsonSchema> = {
  null: { type: 'null' },
  boolean: { type: 'boolean' },
  object: { type: 'object' },
  array: { type: 'array' },
  string: { type: 'string' },
  number: { type: 'number' },
};

function splitByType(atoms: ReadonlySet<Atom>): string[] {
  const types = new Set([...atoms].map((a) => (a === 'integer' || a === 'fraction' ? 'number' : a)));
  return [...types];
}

/** Keywords of B the summary does not model: matched when A holds the same constraint, else reasoned about. */
function compareOpaque(ctx: SubsetContext, a: readonly JsonSchema[], b: SchemaObject): SubsetIssue[] {
  const issues: SubsetIssue[] = [];
  const sameIn = (keys: readonly string[]) =>
    a.some(
      (m) =>
        isSchemaObject(m) &&
        keys.every(
          (k) =>
            k in m === k in b &&
            (!(k in b) || schemaEqual({ [k]: m[k] } as JsonSchema, { [k]: b[k] } as JsonSchema)),
        ),
    );
  const not = asSchema(b.not);
  if (not !== undefined && !sameIn(['not'])) issues.push(...compareNot(ctx, a, not));
  const cond = asSchema(b.if);
  if (cond !== undefined && !sameIn(['if', 'then', 'else'])) {
    if (subsetOf(ctx, a, cond).verdict === 'yes')
      issues.push(...prefixIssues(subsetOf(ctx, a, asSchema(b.then) ?? true).issues, '/then'));
    else if (provablyDisjoint(ctx, a, [cond]))
      issues.push(...prefixIssues(subsetOf(ctx, a, asSchema(b.else) ?? true).issues, '/else'));
    else
      issues.push(
        issue('undecidable', '{R} adds an if/then/else condition that cannot be compared structurally', {
          keyword: 'if',
          schemaPath: '/if',
        }),
      );
  }
  for (const keyword of ['dependentSchemas', 'unevaluatedProperties', 'unevaluatedItems', '$ref']) {
    if (!(keyword in b) || b[keyword] === true || sameIn([keyword])) continue;
    if (keyword === 'dependentSchemas' && !isSchemaObject(b[keyword])) continue;
    issues.push(
      issue('undecidable', `{R} uses \`${keyword}\`, which cannot be compared structurally`, {
        keyword,
        schemaPath: `/${keyword}`,
      }),
    );
  }
  if (
    isSchemaObject(b.dependencies) &&
    Object.values(b.dependencies).some((d) => !Array.isArray(d)) &&
    !sameIn(['dependencies'])
  ) {
    issues.push(
      issue('undecidable', '{R} uses schema `dependencies`, which cannot be compared structurally', {
        keyword: 'dependencies',
        schemaPath: '/dependencies',
      }),
    );
  }
  return issues;
}

/** `B = not N`: exact when N is enumerable (A must allow none of its values), else only via disjointness. */
function compareNot(ctx: SubsetContext, a: readonly JsonSchema[], not: JsonSchema): SubsetIssue[] {
  const notNorm = normalize([not]);
  const values = finiteValues([not], notNorm);
  if (values !== undefined) {
    const allowed = values.filter((v) => a.every((m) => evaluate(m, v).valid !== false));
    if (allowed.length === 0) return [];
    const certain = allowed.some((v) => a.every((m) => evaluate(m, v).valid === true));
    return [
      issue('enum', `{L} allows ${listValues(allowed)}, which {R} excludes with \`not\``, {
        certain,
        keyword: 'not',
        schemaPath: '/not',
      }),
    ];
  }
  if (provablyDisjoint(ctx, a, [not])) return [];
  return [
    issue('undecidable', '{R} excludes values with `not`, which cannot be compared structurally', {
      keyword: 'not',
      schemaPath: '/not',
    }),
  ];
}

function dedupe(issues: readonly SubsetIssue[]): SubsetIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.kind}|${i.schemaPath}|${i.instancePath.join('/')}|${i.detail}|${i.certain}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
