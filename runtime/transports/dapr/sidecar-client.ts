/**
 * HTTP client for the sidecar's pub/sub API over a keep-alive agent:
 *   POST /v1.0/publish/{pubsub}/{topic}               one message, 204 when the broker has it
 *   POST /v1.0-alpha1/publish/bulk/{pubsub}/{topic}   many; 204, or 500 listing the failed entries
 * Every non-2xx answer becomes a DaprSidecarError carrying the status, body and daprd's errorCode.
 */
import { Agent, request } from 'node:http';
import type { BulkPublishEntry, BulkPublishFailure, DaprErrorBody } from './protocol.ts';

export interface DaprSidecarClientOptions {
  /** Default env DAPR_HTTP_PORT, then 3500. */
  readonly httpPort?: number | string;
  /** Default 127.0.0.1 (the sidecar runs next to the app). */
  readonly host?: string;
  /** Sent as `dapr-api-token`; default env DAPR_API_TOKEN. */
  readonly apiToken?: string;
  readonly timeoutMs?: number;
}

export class DaprSidecarError extends Error {
  readonly status: number;
  readonly body: string;
  readonly errorCode: string | undefined;
  /** Bulk publish: the entry ids the sidecar reported as not published. */
  readonly failedEntries: readonly { readonly entryId: string; readonly error: string }[];

  constructor(operation: string, status: number, body: string) {
    const parsed = parseErrorBody(body);
    super(
      `Dapr sidecar refused ${operation}: HTTP ${status}` +
        (parsed.errorCode ? ` ${parsed.errorCode}` : '') +
        (parsed.message ? `: ${parsed.message}` : body && !parsed.errorCode ? `: ${body.slice(0, 500)}` : ''),
    );
    this.name = 'DaprSidecarError';
    this.status = status;
    this.body = body;
    this.errorCode = parsed.errorCode;
    this.failedEntries = parsed.failedEntries ?? [];
  }
}

function parseErrorBody(body: string): DaprErrorBody & Partial<BulkPublishFailure> {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

export interface SidecarResponse {
  readonly status: number;
  readonly body: string;
}

export class DaprSidecarClient {
  readonly baseUrl: string;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 64 });
  readonly #apiToken: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: DaprSidecarClientOptions = {}) {
    const port = options.httpPort ?? process.env.DAPR_HTTP_PORT ?? 3500;
    this.baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
    this.#apiToken = options.apiToken ?? process.env.DAPR_API_TOKEN;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async publish(
    pubsub: string,
    topic: string,
    body: Buffer,
    contentType: string,
    options: { headers?: Record<string, string>; metadata?: Record<string, string> } = {},
  ): Promise<void> {
    const path = `/v1.0/publish/${encodeURIComponent(pubsub)}/${encodeURIComponent(topic)}`;
    const response = await this.send('POST', path + metadataQuery(options.metadata), body, {
      ...options.headers,
      'content-type': contentType,
    });
    if (response.status < 200 || response.status > 299) {
      throw new DaprSidecarError(`publish to ${pubsub}/${topic}`, response.status, response.body);
    }
  }

  async bulkPublish(pubsub: string, topic: string, entries: readonly BulkPublishEntry[]): Promise<void> {
    const path = `/v1.0-alpha1/publish/bulk/${encodeURIComponent(pubsub)}/${encodeURIComponent(topic)}`;
    const response = await this.send('POST', path, Buffer.from(JSON.stringify(entries)), {
      'content-type': 'application/json',
    });
    if (response.status < 200 || response.status > 299) {
      throw new DaprSidecarError(`bulk publish to ${pubsub}/${topic}`, response.status, response.body);
    }
  }

  send(
    method: string,
    path: string,
    body?: Buffer,
    headers: Record<string, string> = {},
  ): Promise<SidecarResponse> {
    const allHeaders: Record<string, string | number> = { ...headers };
    if (this.#apiToken) allHeaders['dapr-api-token'] = this.#apiToken;
    if (body) allHeaders['content-length'] = body.length;
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.baseUrl}${path}`,
        { method, headers: allHeaders, agent: this.#agent, timeout: this.#timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`Dapr sidecar did not answer ${method} ${path} in time`)),
      );
      req.on('error', (error) =>
        reject(
          new Error(`Dapr sidecar at ${this.baseUrl} unreachable (${method} ${path}): ${error.message}`),
        ),
      );
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** Publish metadata travels as `?metadata.<key>=<value>` query parameters. */
function metadataQuery(metadata: Record<string, string> | undefined): string {
  const entries = Object.entries(metadata ?? {});
  if (entries.length === 0) return '';
  return `?${entries.map(([key, value]) => `metadata.${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`;
}
