/**
 * A local stand-in for daprd's pub/sub side, for tests and the harness (daprd itself cannot run here). Each
 * behaviour follows Dapr's source (dapr/dapr d845074, components-contrib c23900d, dapr/kit 6e5616a); README.md
 * beside this file lists them with the source location and the test that holds the fake to it.
 * - sidecar API (dapr pkg/api/http/http.go `onPublish`, `onBulkPublish`): POST /v1.0/publish/{pubsub}/{topic}
 *   and POST /v1.0-alpha1/publish/bulk/{pubsub}/{topic}, with daprd's status codes and error codes, CloudEvent
 *   creation (envelope.ts), topic scoping (scopes.ts) and `dapr-api-token` checking; GET /v1.0/healthz;
 * - subscriptions: GET /dapr/subscribe at connectApp(), declarative ones given as an option, the programmatic one
 *   replacing a declarative one for the same topic (pkg/runtime/compstore/subscriptions.go);
 * - the component (component.ts: pubsub.redis streams, queue, workers, processingTimeout reclaim, ack rules)
 *   and daprd's delivery (delivery.ts: routing, TTL, resiliency, dead letters, bulk).
 * Not covered: gRPC, streaming subscriptions, other brokers' components, outbox, raw payload subscriptions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  BulkPublishEntry,
  ProgrammaticSubscription,
} from '../../../runtime/transports/dapr/protocol.ts';
import { type ComponentOptions, type DaprVersion, FakeComponent, type PendingEntry } from './component.ts';
import { type DeliveryAttempt, FakeDeliveryEngine, type FinalOutcome, type Message } from './delivery.ts';
import { bulkEventBytes, EnvelopeError, publishMetadata, toCloudEvent } from './envelope.ts';
import type { ResiliencyPolicy } from './resiliency.ts';
import { type ComponentScoping, isOperationAllowed } from './scopes.ts';
import { daprSpan } from './trace.ts';

export type { ComponentOptions, DaprVersion } from './component.ts';
export type { DeliveryAttempt, FinalOutcome } from './delivery.ts';
export type { ResiliencyPolicy } from './resiliency.ts';
export type { ComponentScoping } from './scopes.ts';
/** @deprecated the inbound policy is a ResiliencyPolicy. */
export type RetryPolicy = ResiliencyPolicy;

/** What fault hooks see of an entry. */
export interface QueuedEvent {
  readonly topic: string;
  readonly eventId: string;
  /** The component's delivery number: 1 when first read, +1 per processingTimeout reclaim. */
  readonly redelivery: number;
}

export interface FakeSidecarFaults {
  /** Return an error message to make the broker refuse an event (publish, bulk entry or dead letter). */
  rejectPublish?: ((topic: string, event: Record<string, unknown>) => string | undefined) | undefined;
  /**
   * Keep an entry this many ms in daprd's internal queue before its handler runs (as if every worker were
   * busy). The time counts toward processingTimeout, so a value above it produces the redelivery of
   * dapr/components-contrib#4599: the component claims the entry again and it is delivered twice.
   */
  holdInQueue?: ((event: QueuedEvent) => number | undefined) | undefined;
}

export interface FakeSidecarOptions extends FakeSidecarFaults {
  readonly port?: number;
  /** The app id of the app behind this sidecar (source of wrapped events, scoping). Default 'fake-app'. */
  readonly appId?: string;
  /** Pub/sub component names that exist; others answer 404 ERR_PUBSUB_NOT_FOUND. Default ['pubsub']. */
  readonly pubsubs?: readonly string[];
  /** The daprd version whose behaviour to follow where 1.16 and 1.17 differ. Default '1.17'. */
  readonly daprVersion?: DaprVersion;
  /** Inbound resiliency (retry + timeout policy of the component). Default 3 retries, 50 ms apart. */
  readonly retry?: ResiliencyPolicy;
  /** pubsub.redis settings (processingTimeout, redeliverInterval, concurrency, queueDepth). */
  readonly component?: ComponentOptions;
  /** Component metadata that scopes topics, per pub/sub name. */
  readonly scoping?: Readonly<Record<string, ComponentScoping>>;
  /** Declarative subscriptions (Subscription v2alpha1 `spec`, in the programmatic shape). */
  readonly declarative?: readonly ProgrammaticSubscription[];
  /** DAPR_API_TOKEN: API calls without this `dapr-api-token` answer 401. */
  readonly apiToken?: string;
  /** APP_API_TOKEN: sent as `dapr-api-token` on every call to the app. */
  readonly appApiToken?: string;
  /** Whether daprd traces (has a span for each request). Default true. */
  readonly tracing?: boolean;
}

export interface PublishedEvent {
  readonly pubsub: string;
  readonly topic: string;
  /** The stored event; undefined for raw payloads that are not a JSON object. */
  readonly cloudEvent: Record<string, unknown>;
  readonly via: 'publish' | 'bulk-publish' | 'dead-letter' | 'injected';
  readonly metadata: Readonly<Record<string, string>>;
}

export interface LostEvent {
  readonly topic: string;
  readonly eventId: string;
  readonly redelivery: number;
}

interface PublishCall {
  readonly req: IncomingMessage;
  readonly pubsub: string;
  readonly topic: string;
  readonly body: Buffer;
  readonly metadata: Record<string, string>;
}

const streamKey = (pubsub: string, topic: string) => `${pubsub}\u0000${topic}`;

export class FakeSidecar {
  readonly published: PublishedEvent[] = [];
  readonly deliveries: DeliveryAttempt[] = [];
  readonly outcomes: FinalOutcome[] = [];
  /** Entries the component acknowledged although daprd's handler failed (>= 1.17): the event is gone. */
  readonly lost: LostEvent[] = [];
  /** Subscriptions daprd refused because the component's scopes do not allow the topic. */
  readonly refusedSubscriptions: ProgrammaticSubscription[] = [];
  /** The subscriptions in effect (declarative ones replaced by programmatic ones for the same topic). */
  subscriptions: ProgrammaticSubscription[] = [];
  readonly faults: FakeSidecarFaults;
  readonly #options: FakeSidecarOptions;
  readonly #server: Server;
  readonly #engine: FakeDeliveryEngine;
  readonly #component: FakeComponent<Message>;
  readonly #bySubscriptionKey = new Map<string, ProgrammaticSubscription>();
  #appUrl: string | undefined;
  #port = 0;

  private constructor(options: FakeSidecarOptions) {
    this.#options = options;
    this.faults = { rejectPublish: options.rejectPublish, holdInQueue: options.holdInQueue };
    const version = options.daprVersion ?? '1.17';
    this.#engine = new FakeDeliveryEngine(
      {
        version,
        resiliency: options.retry ?? {},
        appUrl: () => this.#appUrl ?? '',
        tracing: options.tracing ?? true,
        ...(options.appApiToken ? { appApiToken: options.appApiToken } : {}),
      },
      {
        deliveries: this.deliveries,
        outcomes: this.outcomes,
        forward: (message, deadLetterTopic) => this.#forward(message, deadLetterTopic),
      },
    );
    this.#component = new FakeComponent<Message>(options.component ?? {}, version, {
      handle: (key, pending, delivery) => {
        const subscription = this.#bySubscriptionKey.get(key);
        if (!subscription) return Promise.resolve('error');
        return this.#engine.handle(subscription, pending.entry.value, delivery);
      },
      holdInQueue: (pending, delivery) =>
        this.faults.holdInQueue?.({ ...queued(pending), redelivery: delivery }),
      acked: (pending, result) => {
        if (result === 'error') this.lost.push(queued(pending));
      },
    });
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) =>
        reply(res, 500, { errorCode: 'ERR_INTERNAL', message: String(error) }),
      );
    });
  }

  static async start(options: FakeSidecarOptions = {}): Promise<FakeSidecar> {
    const sidecar = new FakeSidecar(options);
    await new Promise<void>((resolve) => sidecar.#server.listen(options.port ?? 0, '127.0.0.1', resolve));
    sidecar.#port = (sidecar.#server.address() as AddressInfo).port;
    return sidecar;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get appId(): string {
    return this.#options.appId ?? 'fake-app';
  }

  /**
   * Like daprd at start-up: waits for the app port, reads GET /dapr/subscribe once, lets a programmatic
   * subscription replace a declarative one for the same pub/sub and topic, refuses topics the scopes forbid,
   * and subscribes (a new consumer group reads the topic's whole retained stream).
   */
  async connectApp(appUrl: string, timeoutMs = 10_000): Promise<ProgrammaticSubscription[]> {
    this.#appUrl = appUrl.replace(/\/$/, '');
    const programmatic = await this.#readSubscriptions(timeoutMs);
    const effective = new Map<string, ProgrammaticSubscription>();
    for (const subscription of this.#options.declarative ?? []) {
      const key = streamKey(subscription.pubsubname, subscription.topic);
      if (!effective.has(key)) effective.set(key, subscription);
    }
    for (const subscription of programmatic) {
      effective.set(streamKey(subscription.pubsubname, subscription.topic), subscription);
    }
    this.subscriptions = [];
    for (const [key, subscription] of effective) {
      const allowed =
        this.#knows(subscription.pubsubname) &&
        isOperationAllowed(
          subscription.topic,
          this.#scoping(subscription.pubsubname),
          this.appId,
          'subscribe',
        );
      if (!allowed) {
        this.refusedSubscriptions.push(subscription);
        continue;
      }
      this.subscriptions.push(subscription);
      this.#bySubscriptionKey.set(key, subscription);
      this.#component.subscribe(key, key);
    }
    return programmatic;
  }

  /** Puts an event on a topic as if another app had published it. */
  inject(pubsub: string, topic: string, cloudEvent: Record<string, unknown>): void {
    this.#accept(pubsub, topic, { ...cloudEvent, topic, pubsubname: pubsub }, {}, 'injected');
  }

  /** Puts raw bytes on a topic's stream (`data` of the entry), as a non-Dapr producer sharing the stream would. */
  injectRaw(pubsub: string, topic: string, data: Buffer): void {
    this.#component.append(streamKey(pubsub, topic), message(pubsub, topic, data, {}));
  }

  publishedTo(topic: string): PublishedEvent[] {
    return this.published.filter((event) => event.topic === topic);
  }

  outcomeOf(eventId: string): FinalOutcome | undefined {
    return this.outcomes.find((outcome) => outcome.eventId === eventId);
  }

  /** Entries of a topic read by this app's consumer group and not acknowledged. */
  pending(topic: string, pubsub = 'pubsub'): QueuedEvent[] {
    return this.#component.pending(streamKey(pubsub, topic)).map(queued);
  }

  /** Runs the component's reclaim pass now (it also runs every redeliverInterval); returns the entries claimed. */
  reclaimPending(): number {
    return this.#component.reclaim();
  }

  /** Resolves once no entry is queued, being delivered, or waiting for a bulk flush. */
  async idle(): Promise<void> {
    do {
      await this.#component.settled();
      await new Promise((resolve) => setTimeout(resolve, 20));
    } while (!this.#component.quiet);
  }

  async waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`fake sidecar: condition not met within ${timeoutMs}ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    this.#engine.close();
    this.#component.close();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #readSubscriptions(timeoutMs: number): Promise<ProgrammaticSubscription[]> {
    const deadline = Date.now() + timeoutMs;
    const headers: Record<string, string> = this.#options.appApiToken
      ? { 'dapr-api-token': this.#options.appApiToken }
      : {};
    for (;;) {
      try {
        const response = await fetch(`${this.#appUrl}/dapr/subscribe`, { headers });
        // daprd treats a missing /dapr/subscribe as "no programmatic subscriptions".
        return response.status === 404 ? [] : ((await response.json()) as ProgrammaticSubscription[]);
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`fake sidecar: app at ${this.#appUrl} not reachable: ${String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sidecar');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (
      req.method === 'GET' &&
      (url.pathname === '/v1.0/healthz' || url.pathname === '/v1.0/healthz/outbound')
    ) {
      return reply(res, 204);
    }
    // pkg/api/http/middlewares.go APITokenAuthMiddleware: plain-text 401, health checks excluded.
    const token = this.#options.apiToken;
    if (token && req.headers['dapr-api-token'] !== token) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('invalid api token\n');
      return;
    }
    const body = await readBody(req);
    const metadata = publishMetadata(url.searchParams);
    const call = (pubsub: string, topic: string): PublishCall => ({ req, pubsub, topic, body, metadata });
    try {
      if (req.method === 'POST' && parts[0] === 'v1.0' && parts[1] === 'publish' && parts.length >= 4) {
        this.#publishOne(call(parts[2]!, parts.slice(3).join('/')));
        return reply(res, 204);
      }
      const bulkPath = parts[0] === 'v1.0-alpha1' && parts[1] === 'publish' && parts[2] === 'bulk';
      if (req.method === 'POST' && bulkPath && parts.length >= 5) {
        const failedEntries = this.#publishBulk(call(parts[3]!, parts.slice(4).join('/')));
        if (failedEntries.length === 0) return reply(res, 204);
        return reply(res, 500, { failedEntries, errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE' });
      }
    } catch (error) {
      return replyError(res, error);
    }
    reply(res, 404, { errorCode: 'ERR_NOT_FOUND', message: `no route ${req.method} ${url.pathname}` });
  }

  /** onPublish: 204, or an EnvelopeError carrying daprd's status and error code. */
  #publishOne({ req, pubsub, topic, body, metadata }: PublishCall): void {
    const raw = this.#checkPubsub(pubsub, metadata);
    const contentType = header(req, 'content-type') ?? '';
    const event = raw
      ? undefined
      : toCloudEvent({
          pubsub,
          topic,
          appId: this.appId,
          contentType,
          payload: body,
          metadata,
          ...this.#span(req),
        });
    this.#checkPublish(pubsub, topic);
    const refusal = event ? this.faults.rejectPublish?.(topic, event) : undefined;
    if (refusal) throw new EnvelopeError(500, 'ERR_PUBSUB_PUBLISH_MESSAGE', refusal);
    if (event) this.#accept(pubsub, topic, event, metadata, 'publish');
    else this.#component.append(streamKey(pubsub, topic), message(pubsub, topic, body, metadata));
  }

  /** onBulkPublish: the entries the broker refused (all validation happens before anything is published). */
  #publishBulk({ req, pubsub, topic, body, metadata }: PublishCall): { entryId: string; error: string }[] {
    const raw = this.#checkPubsub(pubsub, metadata);
    const seen = new Set<string>();
    const prepared = bulkEntries(body).map((entry) => {
      const bytes = bulkEventBytes(entry.event, entry.contentType ?? '');
      if (!entry.entryId || seen.has(entry.entryId)) {
        throw new EnvelopeError(
          400,
          'ERR_PUBSUB_EVENTS_SER',
          `error marshaling events to bytes for topic ${topic} pubsub ${pubsub}: entryId is duplicated or not present for entry`,
        );
      }
      seen.add(entry.entryId);
      // Entry metadata, when present, is merged over the request's (utils.PopulateMetadataForBulkPublishEntry).
      const entryMetadata = entry.metadata ? { ...metadata, ...entry.metadata } : {};
      return { entry, bytes, entryMetadata };
    });
    const events = prepared.map(({ entry, bytes, entryMetadata }) => ({
      entry,
      bytes,
      entryMetadata,
      event: raw
        ? undefined
        : toCloudEvent({
            pubsub,
            topic,
            appId: this.appId,
            contentType: entry.contentType ?? '',
            payload: bytes,
            metadata: entryMetadata,
            ...this.#span(req),
          }),
    }));
    this.#checkPublish(pubsub, topic);
    const failedEntries: { entryId: string; error: string }[] = [];
    for (const { entry, event, bytes, entryMetadata } of events) {
      const refusal = event ? this.faults.rejectPublish?.(topic, event) : undefined;
      if (refusal) failedEntries.push({ entryId: entry.entryId, error: refusal });
      else if (event) this.#accept(pubsub, topic, event, entryMetadata, 'bulk-publish');
      else this.#component.append(streamKey(pubsub, topic), message(pubsub, topic, bytes, entryMetadata));
    }
    return failedEntries;
  }

  /** daprd's span for the request (a new child span per call; one per bulk entry, as daprd does). */
  #span(req: IncomingMessage): { traceparent: string; tracestate: string } {
    return daprSpan(header(req, 'traceparent'), header(req, 'tracestate'), this.#options.tracing ?? true);
  }

  #knows(pubsub: string): boolean {
    return (this.#options.pubsubs ?? ['pubsub']).includes(pubsub);
  }

  #scoping(pubsub: string): ComponentScoping {
    return this.#options.scoping?.[pubsub] ?? {};
  }

  /** pkg/api/http/http.go validateAndGetPubsubAndTopic, then the rawPayload metadata check; true for raw. */
  #checkPubsub(pubsub: string, metadata: Record<string, string>): boolean {
    if (!this.#knows(pubsub)) {
      throw new EnvelopeError(404, 'ERR_PUBSUB_NOT_FOUND', `pubsub ${pubsub} not found`);
    }
    return rawPayload(metadata);
  }

  /** pkg/runtime/pubsub/publisher/publisher.go: scopes are checked when the message is handed to the component. */
  #checkPublish(pubsub: string, topic: string): void {
    if (!isOperationAllowed(topic, this.#scoping(pubsub), this.appId, 'publish')) {
      throw new EnvelopeError(
        403,
        'ERR_PUBSUB_FORBIDDEN',
        `topic ${topic} is not allowed for app id ${this.appId}`,
      );
    }
  }

  /** The broker has the event: record it and append it to its stream. */
  #accept(
    pubsub: string,
    topic: string,
    cloudEvent: Record<string, unknown>,
    metadata: Record<string, string>,
    via: PublishedEvent['via'],
  ): void {
    this.published.push({ pubsub, topic, cloudEvent, via, metadata });
    this.#component.append(
      streamKey(pubsub, topic),
      message(pubsub, topic, Buffer.from(JSON.stringify(cloudEvent)), metadata),
    );
  }

  /** daprd's sendToDeadLetter: the original bytes and metadata to the dead-letter topic, through the scopes. */
  #forward(original: Message, deadLetterTopic: string): boolean {
    if (!isOperationAllowed(deadLetterTopic, this.#scoping(original.pubsub), this.appId, 'publish'))
      return false;
    if (original.cloudEvent && this.faults.rejectPublish?.(deadLetterTopic, original.cloudEvent))
      return false;
    if (original.cloudEvent) {
      this.published.push({
        pubsub: original.pubsub,
        topic: deadLetterTopic,
        cloudEvent: original.cloudEvent,
        via: 'dead-letter',
        metadata: original.metadata,
      });
    }
    this.#component.append(
      streamKey(original.pubsub, deadLetterTopic),
      message(original.pubsub, deadLetterTopic, original.body, original.metadata),
    );
    return true;
  }
}

function message(pubsub: string, topic: string, body: Buffer, metadata: Record<string, string>): Message {
  let cloudEvent: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString());
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      cloudEvent = parsed as Record<string, unknown>;
    }
  } catch {
    cloudEvent = undefined;
  }
  const id = typeof cloudEvent?.id === 'string' ? cloudEvent.id : '';
  return { pubsub, topic, id, cloudEvent, body, metadata };
}

function queued(pending: PendingEntry<Message>): QueuedEvent {
  const { value } = pending.entry;
  return { topic: value.topic, eventId: value.id, redelivery: pending.deliveries };
}

/** components-contrib metadata/utils.go IsRawPayload: a strconv.ParseBool value, or 400. */
function rawPayload(metadata: Record<string, string>): boolean {
  const value = metadata.rawPayload;
  if (value === undefined || value === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new EnvelopeError(
    400,
    'ERR_PUBSUB_REQUEST_METADATA',
    `rawPayload value must be a valid boolean: actual is '${value}'`,
  );
}

function bulkEntries(body: Buffer): BulkPublishEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString());
  } catch (error) {
    throw new EnvelopeError(
      400,
      'ERR_PUBSUB_EVENTS_SER',
      `error when unmarshaling the request: ${String(error)}`,
    );
  }
  if (!Array.isArray(parsed) || parsed.some((entry) => entry === null || typeof entry !== 'object')) {
    throw new EnvelopeError(
      400,
      'ERR_PUBSUB_EVENTS_SER',
      'error when unmarshaling the request: not an array of entries',
    );
  }
  return parsed as BulkPublishEntry[];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function replyError(res: ServerResponse, error: unknown): void {
  if (error instanceof EnvelopeError) {
    reply(res, error.status, { errorCode: error.errorCode, message: error.message });
    return;
  }
  reply(res, 500, { errorCode: 'ERR_INTERNAL', message: String(error) });
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) return void res.writeHead(status).end();
  const json = JSON.stringify(body);
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) })
    .end(json);
}
