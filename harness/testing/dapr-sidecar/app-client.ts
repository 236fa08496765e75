/**
 * How the fake sidecar calls the app and reads its answer, following daprd's HTTP postman
 * (pkg/runtime/subscription/postman/http/http.go `Deliver`, `DeliverBulk`):
 *   single: 2xx with empty or unparsable body or no/empty status = SUCCESS; SUCCESS; RETRY; DROP;
 *           an unknown status = retry; 404 = not-found (delivery.ts reads it per version); other status, no
 *           answer, or no answer within the resiliency timeout = retry.
 *   bulk:   2xx = each entry's status (a missing or empty one = RETRY); an unparsable 2xx body = all retried;
 *           404 = all dropped; else all retried.
 * Headers: the message metadata, `traceparent` of daprd's callback span, `dapr-api-token` when the app API token
 * is set (pkg/channel/http/http_channel.go sets APITokenHeader from APP_API_TOKEN).
 */
import { request } from 'node:http';
import {
  type BulkSubscribeEnvelope,
  CLOUDEVENTS_CONTENT_TYPE,
} from '../../../runtime/transports/dapr/protocol.ts';

/** What daprd makes of one delivery: deliver (done), retry, drop (dead letter if configured), not-found. */
export type Verdict = 'success' | 'retry' | 'drop' | 'not-found';

export interface AppCall {
  readonly headers: Readonly<Record<string, string>>;
  /** The resiliency policy's per-attempt timeout. */
  readonly timeoutMs?: number;
}

export interface SingleResult {
  readonly httpStatus: number | 'unreachable' | 'timeout';
  readonly verdict: Verdict;
}

export interface BulkResult {
  readonly httpStatus: number | 'unreachable' | 'timeout';
  /** Per entry id. */
  readonly verdicts: ReadonlyMap<string, Verdict>;
}

export async function postEvent(
  appUrl: string,
  path: string,
  body: Buffer,
  call: AppCall,
): Promise<SingleResult> {
  const response = await post(
    appUrl + path,
    body,
    { ...call.headers, 'content-type': CLOUDEVENTS_CONTENT_TYPE },
    call.timeoutMs,
  );
  if (typeof response === 'string') return { httpStatus: response, verdict: 'retry' };
  const { status, text } = response;
  if (status >= 200 && status <= 299) return { httpStatus: status, verdict: singleVerdict(text) };
  return { httpStatus: status, verdict: status === 404 ? 'not-found' : 'retry' };
}

function singleVerdict(text: string): Verdict {
  let status: unknown;
  try {
    status = (JSON.parse(text) as { status?: unknown })?.status;
  } catch {
    return 'success';
  }
  if (status === undefined || status === '' || status === 'SUCCESS') return 'success';
  if (status === 'DROP') return 'drop';
  return 'retry';
}

export async function postBulk(
  appUrl: string,
  path: string,
  envelope: BulkSubscribeEnvelope,
  call: AppCall,
): Promise<BulkResult> {
  const ids = envelope.entries.map((entry) => entry.entryId);
  const all = (verdict: Verdict) => new Map(ids.map((id) => [id, verdict]));
  const response = await post(
    appUrl + path,
    bulkBody(envelope),
    { ...call.headers, 'content-type': 'application/json' },
    call.timeoutMs,
  );
  if (typeof response === 'string') return { httpStatus: response, verdicts: all('retry') };
  if (response.status === 404) return { httpStatus: 404, verdicts: all('not-found') };
  if (response.status < 200 || response.status > 299)
    return { httpStatus: response.status, verdicts: all('retry') };
  const verdicts = all('retry');
  try {
    const parsed = JSON.parse(response.text) as { statuses?: { entryId?: unknown; status?: unknown }[] };
    for (const { entryId, status } of parsed.statuses ?? []) {
      if (typeof entryId !== 'string' || !verdicts.has(entryId)) continue;
      verdicts.set(entryId, status === 'SUCCESS' ? 'success' : status === 'DROP' ? 'drop' : 'retry');
    }
  } catch {
    // An unparsable bulk answer leaves every entry on RETRY, as daprd does.
  }
  return { httpStatus: response.status, verdicts };
}

/**
 * The envelope as JSON, with each entry's event spliced in from the bytes on the stream (daprd marshals
 * `RawData` it never re-encodes), so an event nested too deeply for JSON.stringify still reaches the app.
 */
function bulkBody(envelope: BulkSubscribeEnvelope): Buffer {
  const entries = envelope.entries.map((entry) => {
    const { event, ...rest } = entry;
    const raw = Buffer.isBuffer(event) ? event.toString() : JSON.stringify(event);
    return `${JSON.stringify(rest).slice(0, -1)},"event":${raw}}`;
  });
  const { entries: _entries, ...head } = envelope;
  return Buffer.from(`${JSON.stringify(head).slice(0, -1)},"entries":[${entries.join(',')}]}`);
}

function post(url: string, body: Buffer, headers: Record<string, string>, timeoutMs: number | undefined) {
  return new Promise<{ status: number; text: string } | 'unreachable' | 'timeout'>((resolve) => {
    let timedOut = false;
    const req = request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() });
        });
        res.on('error', () => resolve(timedOut ? 'timeout' : 'unreachable'));
      },
    );
    // The policy cancels the attempt: daprd abandons the request, the app may still be working on it.
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            req.destroy();
          }, timeoutMs);
    req.on('error', () => {
      clearTimeout(timer);
      resolve(timedOut ? 'timeout' : 'unreachable');
    });
    req.end(body);
  });
}
