/**
 * Why `A ⊆ B` fails: structured issues, phrased neutrally with {L} (the side that allows more) and {R} (the
 * side that rejects), so the same issue reads right in a diff ("the new schema" / "the old schema") and in a
 * topology check ("publisher catalog" / "subscriber search").
 */

export type IssueKind =
  | 'type'
  | 'enum'
  | 'required'
  | 'property-forbidden'
  | 'property-undeclared'
  | 'additional-properties'
  | 'bound'
  | 'format'
  | 'pattern'
  | 'variant'
  | 'undecidable';

export interface SubsetIssue {
  readonly kind: IssueKind;
  /** false when the engine could not decide (pattern vs pattern, `not`, if/then/else, ...). */
  readonly certain: boolean;
  /** Location in the instance: property names, `[]` for any array item, `[3]` for a tuple position. */
  readonly instancePath: readonly string[];
  /** JSON pointer into the right-hand schema, to the keyword that rejects. */
  readonly schemaPath: string;
  readonly keyword?: string;
  /** Neutral sentence with {L} and {R} placeholders. */
  readonly detail: string;
}

export type Verdict = 'yes' | 'no' | 'unknown';

export interface SubsetResult {
  readonly verdict: Verdict;
  readonly issues: readonly SubsetIssue[];
}

export const YES: SubsetResult = { verdict: 'yes', issues: [] };

export function verdictOf(issues: readonly SubsetIssue[]): Verdict {
  if (issues.length === 0) return 'yes';
  return issues.some((i) => i.certain) ? 'no' : 'unknown';
}

export function fromIssues(issues: readonly SubsetIssue[]): SubsetResult {
  return issues.length === 0 ? YES : { verdict: verdictOf(issues), issues };
}

export function issue(
  kind: IssueKind,
  detail: string,
  options: {
    certain?: boolean;
    keyword?: string;
    schemaPath?: string;
    instancePath?: readonly string[];
  } = {},
): SubsetIssue {
  return {
    kind,
    certain: options.certain ?? kind !== 'undecidable',
    instancePath: options.instancePath ?? [],
    schemaPath: options.schemaPath ?? '',
    ...(options.keyword !== undefined ? { keyword: options.keyword } : {}),
    detail,
  };
}

/** Re-roots issues found in a sub-schema: `instance` is a property name or item marker, `schema` a pointer. */
export function prefixIssues(
  issues: readonly SubsetIssue[],
  schema: string,
  instance?: string,
): SubsetIssue[] {
  return issues.map((i) => ({
    ...i,
    schemaPath: `${schema}${i.schemaPath}`,
    instancePath: instance === undefined ? i.instancePath : [instance, ...i.instancePath],
  }));
}

export function uncertain(issues: readonly SubsetIssue[]): SubsetIssue[] {
  return issues.map((i) => (i.certain ? { ...i, certain: false } : i));
}

/** `order.items[].sku`; the root is shown as `(root)`. */
export function formatInstancePath(path: readonly string[]): string {
  if (path.length === 0) return '(root)';
  return path.reduce(
    (text, seg) => (seg.startsWith('[') ? `${text}${seg}` : text === '' ? seg : `${text}.${seg}`),
    '',
  );
}

export interface Roles {
  /** The side whose schema allows the value (new schema, publisher). */
  readonly left: string;
  /** The side whose schema rejects it (old schema, subscriber). */
  readonly right: string;
}

/** Details name the property they are about as {P}; other details get the location as a prefix. */
export function renderIssue(i: SubsetIssue, roles: Roles): string {
  const path = formatInstancePath(i.instancePath);
  const where = i.detail.includes('{P}') || i.instancePath.length === 0 ? '' : `\`${path}\`: `;
  const text = i.detail.replaceAll('{L}', roles.left).replaceAll('{R}', roles.right).replaceAll('{P}', path);
  return `${where}${text}`;
}

export function describeValue(value: unknown): string {
  const json = JSON.stringify(value);
  return json !== undefined && json.length > 60 ? `${json.slice(0, 57)}...` : String(json);
}
