/**
 * Objects: every property name either side mentions, then "all other names" (additionalProperties and
 * patternProperties), then counts, propertyNames and dependentRequired.
 *
 * A property A leaves unconstrained (open content model) but B constrains is its own issue kind,
 * `property-undeclared`: in a diff it reads as "property removed" (new ⊆ old) or "property added" (old ⊆ new).
 */
import { evaluate } from './evaluate.ts';
import { issue, prefixIssues, type SubsetIssue, uncertain } from './issues.ts';
import { acceptsEverything, escapePointer } from './keywords.ts';
import { normalize, type ObjectPart, propertySchemas } from './normalize.ts';
import { schemaEqual } from './schema-equal.ts';
import { type SubsetContext, subsetOf } from './schema-subset.ts';

function mentionedNames(a: ObjectPart, b: ObjectPart): string[] {
  const names = new Set<string>();
  for (const part of [a, b]) {
    for (const branch of part.branches) for (const name of Object.keys(branch.properties)) names.add(name);
    for (const name of part.required) names.add(name);
    for (const [trigger, deps] of part.dependentRequired) {
      names.add(trigger);
      for (const d of deps) names.add(d);
    }
  }
  return [...names].sort();
}

function neverPresent(a: ObjectPart, name: string): boolean {
  const schemas = propertySchemas(a, name).schemas.map((s) => s.schema);
  return schemas.length > 0 && normalize(schemas).empty;
}

/** A branch with additionalProperties false and no patterns forbids every name it does not declare. */
function closingBranch(a: ObjectPart) {
  return a.branches.find((b) => b.patterns.length === 0 && b.additional === false);
}

export function compareObjects(ctx: SubsetContext, a: ObjectPart, b: ObjectPart): SubsetIssue[] {
  const issues: SubsetIssue[] = [];
  for (const name of mentionedNames(a, b)) issues.push(...compareProperty(ctx, a, b, name));
  if (!closingBranch(a)) issues.push(...compareOtherNames(ctx, a, b));
  issues.push(...compareCounts(a, b), ...compareNames(a, b), ...compareDependencies(a, b));
  return issues;
}

function compareProperty(ctx: SubsetContext, a: ObjectPart, b: ObjectPart, name: string): SubsetIssue[] {
  const issues: SubsetIssue[] = [];
  const aEff = propertySchemas(a, name);
  const bEff = propertySchemas(b, name);
  const never = neverPresent(a, name);
  if (b.required.has(name) && !a.required.has(name)) {
    const text = never
      ? '{L} never has `{P}`; {R} requires it'
      : '{L} does not require `{P}`; {R} requires it';
    issues.push(
      issue('required', text, { keyword: 'required', schemaPath: '/required', instancePath: [name] }),
    );
  }
  if (never) return issues;
  const aSchemas = aEff.schemas.map((s) => s.schema);
  const aFree = aSchemas.every(acceptsEverything);
  for (const bs of bEff.schemas) {
    if (bs.schema === false) {
      const why = bs.path === '/additionalProperties' ? ' (additionalProperties: false)' : '';
      issues.push(
        issue('property-forbidden', `{L} allows property \`{P}\`; {R} does not allow it${why}`, {
          keyword: bs.path.split('/')[1] ?? 'properties',
          schemaPath: bs.path,
          instancePath: [name],
        }),
      );
      continue;
    }
    const r = subsetOf(ctx, aSchemas, bs.schema);
    if (r.verdict === 'yes') continue;
    if (aFree && bEff.declared) {
      issues.push(
        issue('property-undeclared', '{L} does not declare `{P}`, so any value passes; {R} constrains it', {
          certain: r.verdict === 'no',
          keyword: 'properties',
          schemaPath: bs.path,
          instancePath: [name],
        }),
      );
    } else issues.push(...prefixIssues(r.issues, bs.path, name));
  }
  return issues;
}

/** Names neither side mentions: A's additional/pattern schemas against B's. */
function compareOtherNames(ctx: SubsetContext, a: ObjectPart, b: ObjectPart): SubsetIssue[] {
  const issues: SubsetIssue[] = [];
  const bPatterns = b.branches.flatMap((br) => br.patterns);
  const bPatternNames = new Set(bPatterns.map(([p]) => p));
  for (const [pattern, schema] of bPatterns) {
    let fuzzy = false;
    const aSchemas = a.branches.flatMap((br) => {
      const same = br.patterns.filter(([p]) => p === pattern).map(([, s]) => s);
      if (same.length > 0) return same;
      if (br.patterns.length > 0) fuzzy = true;
      return br.additional === true ? [] : [br.additional];
    });
    const r = subsetOf(ctx, aSchemas, schema);
    const nested = prefixIssues(r.issues, `/patternProperties/${escapePointer(pattern)}`, `<${pattern}>`);
    issues.push(...(fuzzy ? uncertain(nested) : nested));
  }
  for (const branch of b.branches) {
    if (branch.additional === true) continue;
    let fuzzy = false;
    const aSchemas = a.branches.flatMap((br) => {
      if (br.patterns.some(([p]) => !bPatternNames.has(p))) fuzzy = true;
      return br.additional === true ? [] : [br.additional];
    });
    if (branch.additional === false) {
      if (normalize(aSchemas).empty) continue;
      const text =
        '{L} allows properties besides the declared ones; {R} does not (additionalProperties: false)';
      issues.push(
        issue('additional-properties', text, {
          keyword: 'additionalProperties',
          schemaPath: '/additionalProperties',
          certain: !fuzzy,
        }),
      );
      continue;
    }
    const r = subsetOf(ctx, aSchemas, branch.additional);
    if (r.verdict === 'yes') continue;
    const nested = prefixIssues(r.issues, '/additionalProperties', '*');
    issues.push(...(fuzzy ? uncertain(nested) : nested));
  }
  return issues;
}

function compareCounts(a: ObjectPart, b: ObjectPart): SubsetIssue[] {
  const issues: SubsetIssue[] = [];
  if (b.minProperties > a.minProperties && a.required.size < b.minProperties) {
    issues.push(
      issue(
        'bound',
        `{L} allows objects with fewer than ${b.minProperties} properties; {R} requires minProperties ${b.minProperties}`,
        { keyword: 'minProperties', schemaPath: '/minProperties' },
      ),
    );
  }
  if (b.maxProperties !== undefined) {
    const closing = closingBranch(a);
    const aMax = a.maxProperties ?? (closing ? Object.keys(closing.properties).length : undefined);
    if (aMax === undefined || aMax > b.maxProperties) {
      issues.push(
        issue(
          'bound',
          `{L} allows objects with more than ${b.maxProperties} properties; {R} requires maxProperties ${b.maxProperties}`,
          { keyword: 'maxProperties', schemaPath: '/maxProperties' },
        ),
      );
    }
  }
  return issues;
}

function compareNames(a: ObjectPart, b: ObjectPart): SubsetIssue[] {
  const issues: SubsetIssue[] = [];
  for (const names of b.propertyNames) {
    if (a.propertyNames.some((x) => schemaEqual(x, names))) continue;
    const closing = closingBranch(a);
    if (!closing) {
      issues.push(
        issue(
          'undecidable',
          '{R} restricts property names with `propertyNames`, which cannot be compared structurally',
          { keyword: 'propertyNames', schemaPath: '/propertyNames' },
        ),
      );
      continue;
    }
    for (const name of Object.keys(closing.properties)) {
      if (neverPresent(a, name) || evaluate(names, name).valid === true) continue;
      issues.push(
        issue('property-forbidden', "{L} allows property `{P}`; {R}'s propertyNames rejects that name", {
          keyword: 'propertyNames',
          schemaPath: '/propertyNames',
          instancePath: [name],
        }),
      );
    }
  }
  return issues;
}

function compareDependencies(a: ObjectPart, b: ObjectPart): SubsetIssue[] {
  const issues: SubsetIssue[] = [];
  for (const [trigger, deps] of b.dependentRequired) {
    for (const dep of deps) {
      if (a.required.has(dep) || a.dependentRequired.get(trigger)?.has(dep) || neverPresent(a, trigger))
        continue;
      issues.push(
        issue('required', `{R} requires \`{P}\` whenever \`${trigger}\` is present; {L} does not`, {
          keyword: 'dependentRequired',
          schemaPath: '/dependentRequired',
          instancePath: [dep],
        }),
      );
    }
  }
  return issues;
}
