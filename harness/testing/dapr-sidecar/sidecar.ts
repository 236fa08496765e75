/**
 * A local stand-in for daprd's pub/sub side, for tests and the harness (daprd itself is not available here).
 * It follows the documented HTTP contract and records everything:
 * - sidecar API: POST /v1.0/publish/{pubsub}/{topic} (204; 400 ERR_PUBSUB_NOT_FOUND; 500 on injected failure),
 *   POST /v1.0-alpha1/publish/bulk/{pubsub}/{topic} (204, or 500 with failedEntries), GET /v1.0/healthz;
 * - app calls: GET /dapr/subscribe at connectApp(), then every accepted event is handed to the delivery engine
 *   (delivery.ts: routes, bulk, SUCCESS/RETRY/DROP/404 handling, retries, dead-letter forwarding).
 * Not covered: gRPC, declarative subscriptions, streaming subscriptions, message TTL, raw payloads, scopes.
 * An exhausted message without deadLetterTopic is recorded 'undeliverable' (daprd would hand the error back to
 * the component, which redelivers later; no broker is simulated).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DeliveryAttempt,
  FakeDeliveryEngine,
  type FinalOutcome,
  type Message,
  type RetryPolicy,
} from './delivery.ts';
import { type EnvelopeError, publishMetadata, toCloudEvent } from './envelope.ts';
import type {
  BulkPublishEntry,
  ProgrammaticSubscription,
} from '../../../runtime/transports/dapr/protocol.ts';

export type { DeliveryAttempt, FinalOutcome, RetryPolicy } from './delivery.ts';

export interface FakeSidecarOptions {
  readonly port?: number;
  readonly appId?: string;
  /** Pub/sub component names that exist; publishing to another answers 400 ERR_PUBSUB_NOT_FOUND. */
  readonly pubsubs?: readonly string[];
  /** Inbound retry policy (daprd resiliency). */
  readonly retry?: RetryPolicy;
  /** Fault injection: return an error message to make the broker refuse an event. */
  readonly rejectPublish?: (topic: string, event: Record<string, unknown>) => string | undefined;
}

export interface PublishedEvent {
  readonly pubsub: string;
  readonly topic: string;
  readonly cloudEvent: Record<string, unknown>;
  readonly via: 'publish' | 'bulk-publish' | 'dead-letter' | 'injected';
  readonly metadata: Readonly<Record<string, string>>;
}

export class FakeSidecar {
  readonly published: PublishedEvent[] = [];
  readonly deliveries: DeliveryAttempt[] = [];
  readonly outcomes: FinalOutcome[] = [];
  subscriptions: ProgrammaticSubscription[] = [];
  readonly #options: FakeSidecarOptions;
  readonly #server: Server;
  readonly #engine: FakeDeliveryEngine;
  #appUrl: string | undefined;
  #port = 0;

  private constructor(options: FakeSidecarOptions) {
    this.#options = options;
    this.#engine = new FakeDeliveryEngine(options.retry ?? {}, () => this.#appUrl ?? '', {
      deliveries: this.deliveries,
      outcomes: this.outcomes,
      forward: (message, deadLetterTopic) =>
        this.#accept(message.pubsub, deadLetterTopic, message.cloudEvent, message.metadata, 'dead-letter'),
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

  /** Like daprd at start-up: waits for the app port, then reads GET /dapr/subscribe once. */
  async connectApp(appUrl: string, timeoutMs = 10_000): Promise<ProgrammaticSubscription[]> {
    this.#appUrl = appUrl.replace(/\/$/, '');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const response = await fetch(`${this.#appUrl}/dapr/subscribe`);
        // daprd treats a missing /dapr/subscribe as "no programmatic subscriptions".
        this.subscriptions =
          response.status === 404 ? [] : ((await response.json()) as ProgrammaticSubscription[]);
        return this.subscriptions;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`fake sidecar: app at ${appUrl} not reachable: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** Puts an event on a topic as if another app had published it. */
  inject(pubsub: string, topic: string, cloudEvent: Record<string, unknown>): void {
    this.#accept(pubsub, topic, { ...cloudEvent, topic, pubsubname: pubsub }, {}, 'injected');
  }

  publishedTo(topic: string): PublishedEvent[] {
    return this.published.filter((event) => event.topic === topic);
  }

  outcomeOf(eventId: string): FinalOutcome | undefined {
    return this.outcomes.find((outcome) => outcome.eventId === eventId);
  }

  /** Resolves once no delivery is running, waiting for a retry, or buffered for a bulk delivery. */
  idle(): Promise<void> {
    return this.#engine.idle();
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
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
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
    const body = await readBody(req);
    if (req.method === 'POST' && parts[0] === 'v1.0' && parts[1] === 'publish' && parts.length === 4) {
      return this.#publishOne(res, parts[2]!, parts[3]!, body, req, publishMetadata(url.searchParams));
    }
    const bulkPath = parts[0] === 'v1.0-alpha1' && parts[1] === 'publish' && parts[2] === 'bulk';
    if (req.method === 'POST' && bulkPath && parts.length === 5) {
      return this.#publishBulk(res, parts[3]!, parts[4]!, body, publishMetadata(url.searchParams));
    }
    reply(res, 404, { errorCode: 'ERR_NOT_FOUND', message: `no route ${req.method} ${url.pathname}` });
  }

  #publishOne(
    res: ServerResponse,
    pubsub: string,
    topic: string,
    body: Buffer,
    req: IncomingMessage,
    metadata: Record<string, string>,
  ): void {
    if (!this.#knownPubsub(res, pubsub)) return;
    let event: Record<string, unknown>;
    try {
      event = toCloudEvent({
        pubsub,
        topic,
        appId: this.#options.appId ?? 'fake-app',
        contentType: req.headers['content-type'] ?? 'text/plain',
        payload: body,
        traceparent: header(req, 'traceparent'),
        tracestate: header(req, 'tracestate'),
      });
    } catch (error) {
      reply(res, 400, {
        errorCode: 'ERR_PUBSUB_CLOUD_EVENTS_SER',
        message: (error as EnvelopeError).message,
      });
      return;
    }
    const refusal = this.#options.rejectPublish?.(topic, event);
    if (refusal) {
      reply(res, 500, { errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE', message: refusal });
      return;
    }
    this.#accept(pubsub, topic, event, metadata, 'publish');
    reply(res, 204);
  }

  #publishBulk(
    res: ServerResponse,
    pubsub: string,
    topic: string,
    body: Buffer,
    metadata: Record<string, string>,
  ) {
    if (!this.#knownPubsub(res, pubsub)) return;
    let entries: BulkPublishEntry[];
    try {
      entries = JSON.parse(body.toString()) as BulkPublishEntry[];
      if (!Array.isArray(entries) || entries.some((entry) => typeof entry?.entryId !== 'string'))
        throw new Error();
    } catch {
      return reply(res, 400, {
        errorCode: 'ERR_PUBSUB_EVENTS_SER',
        message: 'body must be an array of entries',
      });
    }
    const failedEntries: { entryId: string; error: string }[] = [];
    for (const entry of entries) {
      try {
        const event = toCloudEvent({
          pubsub,
          topic,
          appId: this.#options.appId ?? 'fake-app',
          contentType: entry.contentType ?? 'text/plain',
          payload: entry.event,
        });
        const refusal = this.#options.rejectPublish?.(topic, event);
        if (refusal) failedEntries.push({ entryId: entry.entryId, error: refusal });
        else this.#accept(pubsub, topic, event, { ...metadata, ...entry.metadata }, 'bulk-publish');
      } catch (error) {
        failedEntries.push({ entryId: entry.entryId, error: String((error as Error).message) });
      }
    }
    if (failedEntries.length > 0) {
      return reply(res, 500, { failedEntries, errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE' });
    }
    reply(res, 204);
  }

  #knownPubsub(res: ServerResponse, pubsub: string): boolean {
    if ((this.#options.pubsubs ?? ['pubsub']).includes(pubsub)) return true;
    reply(res, 400, { errorCode: 'ERR_PUBSUB_NOT_FOUND', message: `pubsub '${pubsub}' not found` });
    return false;
  }

  /** The broker has the event: record it and hand it to every subscription of its topic. */
  #accept(
    pubsub: string,
    topic: string,
    cloudEvent: Record<string, unknown>,
    metadata: Record<string, string>,
    via: PublishedEvent['via'],
  ): void {
    this.published.push({ pubsub, topic, cloudEvent, via, metadata });
    const message: Message = {
      pubsub,
      topic,
      id: typeof cloudEvent.id === 'string' ? cloudEvent.id : randomUUID(),
      cloudEvent,
      body: Buffer.from(JSON.stringify(cloudEvent)),
      metadata,
    };
    for (const subscription of this.subscriptions) {
      if (subscription.pubsubname === pubsub && subscription.topic === topic) {
        this.#engine.dispatch(subscription, message);
      }
    }
  }
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

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) return void res.writeHead(status).end();
  const json = JSON.stringify(body);
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) })
    .end(json);
}
