/**
 * Topic scoping of a pub/sub component, as daprd applies it:
 * - dapr pkg/scopes/scopes.go `GetScopedTopics`: `publishingScopes` / `subscriptionScopes` are
 *   `app1=topic1,topic2;app2=...` (spaces removed); an app listed with nothing after `=` gets the topic list
 *   [""] and so may use no topic;
 * - dapr pkg/runtime/pubsub/adapter.go `IsOperationAllowed`: a topic outside a non-empty `allowedTopics` is
 *   refused; a topic in `protectedTopics` needs a scope; otherwise an app without scopes may use any topic.
 * Refusals: publishing answers 403 ERR_PUBSUB_FORBIDDEN (pkg/api/errors/pubsub.go `PublishForbidden`);
 * a subscription is not created (pkg/runtime/subscription/subscription.go `New`, "is not allowed").
 */

/** The scoping metadata of one component, as written in its `spec.metadata`. */
export interface ComponentScoping {
  readonly publishingScopes?: string;
  readonly subscriptionScopes?: string;
  readonly allowedTopics?: string;
  readonly protectedTopics?: string;
}

export function scopedTopics(value: string | undefined, appId: string): string[] {
  const topics: string[] = [];
  for (const entry of (value ?? '').replaceAll(' ', '').split(';')) {
    const [app, list, ...rest] = entry.split('=');
    if (list === undefined || rest.length > 0 || app !== appId) continue;
    for (const topic of list.split(',')) if (!topics.includes(topic)) topics.push(topic);
  }
  return topics;
}

export function isOperationAllowed(
  topic: string,
  scoping: ComponentScoping,
  appId: string,
  operation: 'publish' | 'subscribe',
): boolean {
  const allowed = listed(scoping.allowedTopics);
  if (allowed.length > 0 && !allowed.includes(topic)) return false;
  const scoped = scopedTopics(
    operation === 'publish' ? scoping.publishingScopes : scoping.subscriptionScopes,
    appId,
  );
  const isProtected = listed(scoping.protectedTopics).includes(topic);
  if (!isProtected && scoped.length === 0) return true;
  return scoped.includes(topic);
}

function listed(value: string | undefined): string[] {
  return value ? value.replaceAll(' ', '').split(',') : [];
}
