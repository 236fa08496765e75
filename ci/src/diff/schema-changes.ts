/**
 * Classifies what changed in one schema (a payload or headers) between two versions, from the point of view of
 * an operation. Inclusion is decided structurally both ways:
 *   widened  = new ⊄ old: the new schema accepts something the old rejected;
 *   narrowed = old ⊄ new: the new schema rejects something the old accepted.
 * A send operation breaks its subscribers when it widens; a receive operation breaks its publishers when it
 * narrows. Findings are grouped per instance location (one change per field), and a field changed in both
 * directions (a type or an enum replaced) is one `*-changed` change.
 */
import type { JsonSchema, OperationAction } from '../../../generators/model/types.ts';
import { escapePointer } from '../schema/keywords.ts';
import { formatInstancePath, type IssueKind, renderIssue, type SubsetIssue } from '../schema/issues.ts';
import { isSubset } from '../schema/schema-subset.ts';
import { SCHEMA_CHANGE_RULES } from '../rules.ts';
import type { Classification } from '../types.ts';

export interface SchemaChange {
  readonly rule: string;
  readonly classification: Classification;
  /** JSON pointer below the schema root (`/properties/status`). */
  readonly schemaPointer: string;
  /** `status`, `items[].sku`, `(root)`. */
  readonly location: string;
  readonly detail: string;
}

type Direction = 'widened' | 'narrowed';

const PRIORITY: readonly IssueKind[] = [
  'property-undeclared',
  'property-forbidden',
  'required',
  'type',
  'enum',
  'variant',
  'additional-properties',
  'format',
  'pattern',
  'bound',
  'undecidable',
];

/** `['order', '[]', 'sku']` -> `/properties/order/items/properties/sku`. */
export function schemaPointerOf(instancePath: readonly string[]): string {
  return instancePath
    .map((seg) => {
      if (seg === '[]') return '/items';
      if (/^\[\d+\]$/.test(seg)) return `/items/${seg.slice(1, -1)}`;
      if (seg === '*') return '/additionalProperties';
      if (seg.startsWith('<') && seg.endsWith('>'))
        return `/patternProperties/${escapePointer(seg.slice(1, -1))}`;
      return `/properties/${escapePointer(seg)}`;
    })
    .join('');
}

const ROLES: Record<Direction, { left: string; right: string }> = {
  widened: { left: 'the new schema', right: 'the old schema' },
  narrowed: { left: 'the old schema', right: 'the new schema' },
};

interface Entry {
  readonly direction: Direction;
  readonly issue: SubsetIssue;
}

export function schemaChanges(
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  action: OperationAction,
): SchemaChange[] {
  const widened = isSubset(newSchema, oldSchema);
  const narrowed = isSubset(oldSchema, newSchema);
  const groups = new Map<string, Entry[]>();
  const add = (direction: Direction, issues: readonly SubsetIssue[]) => {
    for (const issue of issues) {
      const key = issue.instancePath.join('\u0000');
      groups.set(key, [...(groups.get(key) ?? []), { direction, issue }]);
    }
  };
  add('widened', widened.issues);
  add('narrowed', narrowed.issues);
  const breakingDirection: Direction = action === 'send' ? 'widened' : 'narrowed';
  const changes: SchemaChange[] = [];
  for (const entries of groups.values()) {
    const first = entries[0] as Entry;
    const directions = new Set(entries.map((e) => e.direction));
    const kind = PRIORITY.find((k) => entries.some((e) => e.issue.kind === k)) ?? 'undecidable';
    const breaking = entries.filter((e) => e.direction === breakingDirection);
    // Only the breaking direction decides: being unsure whether a send schema narrowed changes nothing.
    const classification: Classification = breaking.some((e) => e.issue.certain)
      ? 'breaking'
      : breaking.length > 0
        ? 'undecidable'
        : 'non-breaking';
    const rule =
      kind === 'undecidable'
        ? 'schema/undecidable'
        : directions.size === 2
          ? SCHEMA_CHANGE_RULES[kind].changed
          : SCHEMA_CHANGE_RULES[kind][first.direction];
    const detail = [...new Set(entries.map((e) => renderIssue(e.issue, ROLES[e.direction])))].join('; ');
    changes.push({
      rule,
      classification,
      schemaPointer: schemaPointerOf(first.issue.instancePath),
      location: formatInstancePath(first.issue.instancePath),
      detail,
    });
  }
  return changes.sort((a, b) => a.schemaPointer.localeCompare(b.schemaPointer));
}
