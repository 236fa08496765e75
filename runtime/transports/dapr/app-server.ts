/**
 * The app side of the Dapr pub/sub contract, on node:http:
 *   GET  /dapr/subscribe   the programmatic subscriptions (subscriptions.ts)
 *   POST <route>           a CloudEvent (application/cloudevents+json) -> {"status": SUCCESS|RETRY|DROP};
 *                          on a bulkSubscribe route an envelope of entries -> {"statuses": [{entryId, status}]}
 *   GET  /healthz          204, for Dapr app health checks
 * A POST to any other path answers DROP: daprd then publishes the event to the subscription's deadLetterTopic on
 * every version, whereas a 404 is a silent success on daprd 1.16 and a drop only on >= 1.17
 * (pkg/runtime/subscription/postman/http/http.go). A stopping subscription keeps its route and answers RETRY.
 * With an app API token (APP_API_TOKEN), requests without that `dapr-api-token` get 401, which daprd retries.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DeliverContext, deliverEvent } from './deliver.ts';
import type { AppStatus, BulkAppResponse, BulkSubscribeEntry, ProgrammaticSubscription } from './protocol.ts';
import type { RouteBinding } from './route-binding.ts';
import { daprSubscriptions } from './subscriptions.ts';

export interface DaprAppServerOptions {
  readonly port: number;
  /** Default 127.0.0.1: only the sidecar next to the app should reach it. */
  readonly host?: string;
  readonly maxBodyBytes?: number;
  /** The app API token daprd sends as `dapr-api-token` (Dapr's APP_API_TOKEN). */
  readonly apiToken?: string;
  /** Called when a subscription is added after daprd already read /dapr/subscribe (it would not see it). */
  readonly onLateSubscription?: (name: string) => void;
}

export class DaprAppServer {
  readonly #options: DaprAppServerOptions;
  readonly #context: DeliverContext;
  readonly #routes = new Map<string, RouteBinding>();
  readonly #server: Server;
  #subscriptionsServed = false;
  #listening: Promise<number> | undefined;

  constructor(options: DaprAppServerOptions, context: DeliverContext) {
    this.#options = options;
    this.#context = context;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        context.onError('app server request failed', { path: req.url, error: String(error) });
        if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      });
    });
    this.#server.keepAliveTimeout = 65_000;
  }

  add(binding: RouteBinding): void {
    const route = binding.spec.route;
    const existing = this.#routes.get(route);
    if (existing && !existing.stopping) {
      throw new Error(
        `Route '${route}' is already served by subscription '${existing.spec.name}'; ` +
          `'${binding.spec.name}' needs its own x-eventwire-subscription name.`,
      );
    }
    this.#routes.set(route, binding);
    if (this.#subscriptionsServed) this.#options.onLateSubscription?.(binding.spec.name);
  }

  remove(binding: RouteBinding): void {
    if (this.#routes.get(binding.spec.route) === binding) this.#routes.delete(binding.spec.route);
  }

  subscriptions(): ProgrammaticSubscription[] {
    return daprSubscriptions([...this.#routes.values()].map((binding) => binding.spec));
  }

  /** Starts listening (once); resolves with the bound port. */
  listen(): Promise<number> {
    this.#listening ??= new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port, this.#options.host ?? '127.0.0.1', () => {
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
    return this.#listening;
  }

  async close(): Promise<void> {
    if (!this.#listening) return;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    if (req.method === 'GET' && path === '/healthz') return reply(res, 204);
    if (!this.#authorized(req)) return reply(res, 401, { error: 'missing or wrong dapr-api-token' });
    if (req.method === 'GET' && path === '/dapr/subscribe') {
      this.#subscriptionsServed = true;
      return reply(res, 200, this.subscriptions());
    }
    const binding = this.#routes.get(path);
    if (!binding && req.method === 'POST') {
      this.#context.onError('delivery to a path no subscription serves; answering DROP', { path });
      return reply(res, 200, { status: 'DROP' });
    }
    if (!binding) return reply(res, 404, { error: `no subscription route ${path}` });
    if (req.method !== 'POST') return reply(res, 405, { error: 'deliveries are POSTed' });
    await binding.track(async () => {
      const body = await readBody(req, this.#options.maxBodyBytes ?? 32 * 1024 * 1024);
      if (body === undefined) return reply(res, 413, { error: 'body too large' });
      // Shutting down: daprd redelivers later or to another replica (a 404 here would drop the message).
      if (binding.stopping) return reply(res, 200, { status: 'RETRY' });
      const bulk = bulkEntries(body);
      if (bulk) return reply(res, 200, await this.#deliverBulk(binding, bulk));
      const status = await deliverEvent(this.#context, binding, body, traceHeaders(req.headers));
      reply(res, 200, { status });
    });
  }

  #authorized(req: IncomingMessage): boolean {
    const expected = this.#options.apiToken;
    if (!expected) return true;
    const given = req.headers['dapr-api-token'];
    if (typeof given !== 'string') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async #deliverBulk(
    binding: RouteBinding,
    entries: readonly BulkSubscribeEntry[],
  ): Promise<BulkAppResponse> {
    const statuses = await Promise.all(
      entries.map(async (entry): Promise<{ entryId: string; status: AppStatus }> => {
        // One entry never fails the batch: an event that cannot be serialised again (nested too deeply) is
        // answered DROP, so daprd dead-letters its original bytes.
        let body: Buffer;
        try {
          body = Buffer.from(typeof entry.event === 'string' ? entry.event : JSON.stringify(entry.event));
        } catch (error) {
          this.#context.onError('bulk entry cannot be serialised; answering DROP', {
            entryId: entry.entryId,
            error: String(error),
          });
          return { entryId: entry.entryId, status: 'DROP' };
        }
        const status = await deliverEvent(
          this.#context,
          binding,
          body,
          traceHeaders(entry.metadata ?? {}),
        ).catch((error: unknown): AppStatus => {
          this.#context.onError('bulk entry failed; answering RETRY', {
            entryId: entry.entryId,
            error: String(error),
          });
          return 'RETRY';
        });
        return { entryId: entry.entryId, status };
      }),
    );
    return { statuses };
  }
}

/** The entries of a bulk delivery envelope, or undefined for a single CloudEvent. */
function bulkEntries(body: Buffer): BulkSubscribeEntry[] | undefined {
  if (body[0] !== 0x7b) return undefined; // not a JSON object
  try {
    const parsed = JSON.parse(body.toString()) as { type?: unknown; entries?: unknown };
    if (parsed.type !== 'com.dapr.event.sent.bulk' || !Array.isArray(parsed.entries)) return undefined;
    return parsed.entries.filter(
      (entry): entry is BulkSubscribeEntry => typeof (entry as BulkSubscribeEntry)?.entryId === 'string',
    );
  } catch {
    return undefined;
  }
}

function traceHeaders(
  source: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate']) {
    const value = source[name];
    if (typeof value === 'string' && value !== '') headers[name] = value;
  }
  return headers;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const json = JSON.stringify(body);
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) })
    .end(json);
}
