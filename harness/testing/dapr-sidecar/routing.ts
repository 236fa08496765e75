/**
 * Route selection for the fake sidecar. daprd evaluates routing rules with CEL; the fake understands the subset
 * eventwire generates and the Dapr docs use: comparisons `event.<path> == "<literal>"` / `!=`, joined by `&&`
 * and `||` (no parentheses). Anything else is rejected loudly rather than guessed.
 */
import type { ProgrammaticSubscription } from '../../../runtime/transports/dapr/protocol.ts';

/** The path an event goes to, or undefined when no rule matches and there is no default route. */
export function routeFor(
  subscription: ProgrammaticSubscription,
  event: Record<string, unknown>,
): string | undefined {
  for (const rule of subscription.routes.rules ?? []) {
    if (rule.match.trim() === '' || matches(rule.match, event)) return rule.path;
  }
  return subscription.routes.default;
}

export function matches(expression: string, event: Record<string, unknown>): boolean {
  return expression.split('||').some((clause) => clause.split('&&').every((term) => comparison(term, event)));
}

const COMPARISON =
  /^\s*event((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*(==|!=)\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*$/;

function comparison(term: string, event: Record<string, unknown>): boolean {
  const match = COMPARISON.exec(term);
  if (!match) {
    throw new Error(
      `fake sidecar: unsupported routing expression '${term.trim()}' (supported: event.x == "v")`,
    );
  }
  const [, path, operator, doubleQuoted, singleQuoted] = match;
  const expected = doubleQuoted !== undefined ? (JSON.parse(`"${doubleQuoted}"`) as string) : singleQuoted;
  let value: unknown = event;
  for (const key of path!.slice(1).split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return operator === '==' ? value === expected : value !== expected;
}
