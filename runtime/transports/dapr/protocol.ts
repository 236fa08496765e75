/**
 * The Dapr pub/sub HTTP contract, as documented in the Dapr API reference (reference/api/pubsub_api.md,
 * developing-applications/building-blocks/pubsub/pubsub-bulk.md) and implemented by daprd
 * (pkg/runtime/subscription/postman/http/http.go). Shared by the app server, the publish client and the fake
 * sidecar so both sides of the tests speak the same, single definition.
 */

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/** Status an app answers per message. Anything else (or a non-2xx other than 404) makes Dapr retry. */
export type AppStatus = 'SUCCESS' | 'RETRY' | 'DROP';

export interface AppResponse {
  readonly status: AppStatus;
}

/** One element of the `GET /dapr/subscribe` answer (programmatic subscription, routes form). */
export interface ProgrammaticSubscription {
  readonly pubsubname: string;
  readonly topic: string;
  readonly routes: { readonly rules?: readonly RoutingRule[]; readonly default?: string };
  readonly deadLetterTopic?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly bulkSubscribe?: BulkSubscribeOptions;
}

export interface RoutingRule {
  /** A CEL expression over `event` (the CloudEvent), e.g. `event.type == "order.created"`. */
  readonly match: string;
  readonly path: string;
}

export interface BulkSubscribeOptions {
  readonly enabled: boolean;
  readonly maxMessagesCount?: number;
  readonly maxAwaitDurationMs?: number;
}

/** What daprd POSTs to a bulk-subscribed route (content type application/json). */
export interface BulkSubscribeEnvelope {
  readonly id: string;
  readonly entries: readonly BulkSubscribeEntry[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly pubsubname: string;
  readonly topic: string;
  readonly type: 'com.dapr.event.sent.bulk';
}

export interface BulkSubscribeEntry {
  readonly entryId: string;
  /** The CloudEvent (an object) for `application/cloudevents+json` entries. */
  readonly event: unknown;
  readonly contentType: string;
  readonly metadata?: Readonly<Record<string, string>> | null;
}

/** The app's answer to a bulk delivery; an entry without a status counts as RETRY. */
export interface BulkAppResponse {
  readonly statuses: readonly { readonly entryId: string; readonly status: AppStatus }[];
}

/** One element of a bulk publish request body. */
export interface BulkPublishEntry {
  readonly entryId: string;
  readonly event: unknown;
  readonly contentType: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Body of a 500 answer to a bulk publish: the entries that were not published. */
export interface BulkPublishFailure {
  readonly failedEntries: readonly { readonly entryId: string; readonly error: string }[];
  readonly errorCode: string;
}

/** daprd's error body: `{"errorCode":"ERR_PUBSUB_NOT_FOUND","message":"..."}`. */
export interface DaprErrorBody {
  readonly errorCode?: string;
  readonly message?: string;
}

export function isJsonContentType(contentType: string): boolean {
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base === CLOUDEVENTS_CONTENT_TYPE || base.endsWith('+json');
}
