/**
 * One shape for a Dapr subscription, whether it comes from a declarative `Subscription` resource (v1alpha1 or
 * v2alpha1) or from the app's programmatic `GET /dapr/subscribe` answer. Dapr gives declarative subscriptions
 * precedence for the same topic, so the two must say exactly the same thing; comparing normalised shapes proves it.
 */

export interface NormalisedRule {
  readonly match: string;
  readonly path: string;
}

export interface NormalisedSubscription {
  readonly pubsubname: string;
  readonly topic: string;
  readonly routes: { readonly default?: string; readonly rules: readonly NormalisedRule[] };
  readonly deadLetterTopic?: string;
  readonly bulkSubscribe?: {
    readonly enabled: boolean;
    readonly maxMessagesCount?: number;
    readonly maxAwaitDurationMs?: number;
  };
  readonly metadata: Readonly<Record<string, string>>;
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const EVENT_TYPE_EQUALITY = /^event\.type\s*==\s*"(?:[^"\\]|\\.)*"$/;

/**
 * `event.type == "a" || event.type == "b"` -> path is the same as two rules, one per type. Split so both ways of
 * writing the rules compare equal; any other CEL expression is kept whole.
 */
function splitRule(rule: NormalisedRule): NormalisedRule[] {
  const parts = rule.match.split('||').map((part) => part.trim());
  if (parts.length < 2 || !parts.every((part) => EVENT_TYPE_EQUALITY.test(part))) return [rule];
  return parts.map((match) => ({ match, path: rule.path }));
}

/** The rules are disjoint `event.type` equalities, so their order carries no meaning and is normalised away. */
function normaliseOne(entry: Loose): NormalisedSubscription {
  const routes = isObject(entry.routes) ? entry.routes : {};
  const rules = (Array.isArray(routes.rules) ? routes.rules : [])
    .filter(isObject)
    .flatMap((rule) => splitRule({ match: String(rule.match ?? ''), path: String(rule.path ?? '') }))
    .sort((a, b) => order(a.match, b.match) || order(a.path, b.path));
  const fallback = text(routes.default) ?? text(entry.route);
  const bulk = isObject(entry.bulkSubscribe) ? entry.bulkSubscribe : undefined;
  const deadLetterTopic = text(entry.deadLetterTopic);
  return {
    pubsubname: String(entry.pubsubname ?? entry.pubsubName ?? ''),
    topic: String(entry.topic ?? ''),
    routes: { ...(fallback ? { default: fallback } : {}), rules },
    ...(deadLetterTopic ? { deadLetterTopic } : {}),
    ...(bulk && bulk.enabled === true
      ? {
          bulkSubscribe: {
            enabled: true,
            ...(typeof bulk.maxMessagesCount === 'number' ? { maxMessagesCount: bulk.maxMessagesCount } : {}),
            ...(typeof bulk.maxAwaitDurationMs === 'number'
              ? { maxAwaitDurationMs: bulk.maxAwaitDurationMs }
              : {}),
          },
        }
      : {}),
    metadata: Object.fromEntries(
      Object.entries(isObject(entry.metadata) ? entry.metadata : {})
        .map(([k, v]) => [k, String(v)] as const)
        .sort(([a], [b]) => order(a, b)),
    ),
  };
}

const byTopic = (a: NormalisedSubscription, b: NormalisedSubscription): number =>
  order(a.pubsubname, b.pubsubname) || order(a.topic, b.topic);

/** The JSON array an app returns from `GET /dapr/subscribe`. */
export function normaliseProgrammatic(answer: unknown): NormalisedSubscription[] {
  return (Array.isArray(answer) ? answer : []).filter(isObject).map(normaliseOne).sort(byTopic);
}

/** Subscription resources that apply to `appId` (listed in `scopes`, or unscoped). */
export function normaliseDeclarative(resources: readonly unknown[], appId: string): NormalisedSubscription[] {
  return resources
    .filter(isObject)
    .filter((r) => r.kind === 'Subscription')
    .filter((r) => !Array.isArray(r.scopes) || r.scopes.length === 0 || r.scopes.includes(appId))
    .map((r) => normaliseOne(isObject(r.spec) ? r.spec : {}))
    .sort(byTopic);
}

/** Human-readable differences, empty when both sides subscribe identically. */
export function diffSubscriptions(
  declarative: readonly NormalisedSubscription[],
  programmatic: readonly NormalisedSubscription[],
): string[] {
  const key = (s: NormalisedSubscription) => `${s.pubsubname}/${s.topic}`;
  const programmaticByKey = new Map(programmatic.map((s) => [key(s), s]));
  const declarativeKeys = new Set(declarative.map(key));
  const differences: string[] = [];
  for (const subscription of declarative) {
    const other = programmaticByKey.get(key(subscription));
    if (!other) {
      differences.push(
        `${key(subscription)}: declared in subscription.yaml but missing from GET /dapr/subscribe`,
      );
      continue;
    }
    for (const field of ['routes', 'deadLetterTopic', 'bulkSubscribe', 'metadata'] as const) {
      const [a, b] = [JSON.stringify(subscription[field]), JSON.stringify(other[field])];
      if (a !== b)
        differences.push(
          `${key(subscription)}: ${field} is ${a} in subscription.yaml but ${b} in GET /dapr/subscribe`,
        );
    }
  }
  for (const subscription of programmatic) {
    if (!declarativeKeys.has(key(subscription))) {
      differences.push(
        `${key(subscription)}: returned by GET /dapr/subscribe but not declared in subscription.yaml`,
      );
    }
  }
  return differences;
}
