/** Arrays: item counts, uniqueness, each tuple position, the remaining items and `contains`. */
import type { JsonSchema } from '../../../generators/model/types.ts';
import { issue, prefixIssues, type SubsetIssue } from './issues.ts';
import type { ArrayPart } from './normalize.ts';
import { schemaEqual } from './schema-equal.ts';
import { type SubsetContext, subsetOf } from './schema-subset.ts';

function itemSchemas(part: ArrayPart, index: number): JsonSchema[] {
  return part.layouts.flatMap((l) =>
    index < l.tuple.length ? [l.tuple[index] as JsonSchema] : l.rest !== undefined ? [l.rest] : [],
  );
}

function restSchemas(part: ArrayPart): JsonSchema[] {
  return part.layouts.flatMap((l) => (l.rest !== undefined ? [l.rest] : []));
}

export function compareArrays(ctx: SubsetContext, a: ArrayPart, b: ArrayPart): SubsetIssue[] {
  const issues: SubsetIssue[] = [];
  if (b.minItems > a.minItems) {
    issues.push(
      issue(
        'bound',
        `{L} allows arrays with fewer than ${b.minItems} items (minItems ${a.minItems}); {R} requires minItems ${b.minItems}`,
        { keyword: 'minItems', schemaPath: '/minItems' },
      ),
    );
  }
  const aMax = a.maxItems ?? Number.POSITIVE_INFINITY;
  if (b.maxItems !== undefined && aMax > b.maxItems) {
    issues.push(
      issue(
        'bound',
        `{L} allows arrays with more than ${b.maxItems} items; {R} requires maxItems ${b.maxItems}`,
        { keyword: 'maxItems', schemaPath: '/maxItems' },
      ),
    );
  }
  if (b.unique && !a.unique && aMax > 1) {
    issues.push(
      issue('bound', '{L} allows duplicate items; {R} requires uniqueItems', {
        keyword: 'uniqueItems',
        schemaPath: '/uniqueItems',
      }),
    );
  }
  const tupleLength = Math.max(
    0,
    ...a.layouts.map((l) => l.tuple.length),
    ...b.layouts.map((l) => l.tuple.length),
  );
  const bLayout = b.layouts[0];
  for (let i = 0; i < tupleLength && i < aMax; i++) {
    const aItems = itemSchemas(a, i);
    const inTuple = bLayout !== undefined && i < bLayout.tuple.length;
    const path = inTuple ? `/${bLayout.tupleKeyword}/${i}` : `/${bLayout?.restKeyword ?? 'items'}`;
    for (const bItem of itemSchemas(b, i))
      issues.push(...prefixIssues(subsetOf(ctx, aItems, bItem).issues, path, `[${i}]`));
  }
  if (aMax > tupleLength) {
    const aRest = restSchemas(a);
    for (const bRest of restSchemas(b)) {
      issues.push(
        ...prefixIssues(subsetOf(ctx, aRest, bRest).issues, `/${bLayout?.restKeyword ?? 'items'}`, '[]'),
      );
    }
  }
  for (const wanted of b.contains) {
    if (a.contains.some((c) => schemaEqual(c, wanted))) continue;
    if (a.minItems === 0) {
      issues.push(
        issue('bound', '{L} allows empty arrays; {R} requires an item matching `contains`', {
          keyword: 'contains',
          schemaPath: '/contains',
        }),
      );
      continue;
    }
    const everyItemMatches =
      a.layouts.every((l) => l.tuple.length === 0) && subsetOf(ctx, restSchemas(a), wanted).verdict === 'yes';
    if (!everyItemMatches) {
      issues.push(
        issue(
          'undecidable',
          '{R} requires an item matching `contains`, which cannot be compared structurally',
          { keyword: 'contains', schemaPath: '/contains' },
        ),
      );
    }
  }
  return issues;
}
