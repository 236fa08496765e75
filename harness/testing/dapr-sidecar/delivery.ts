/**
 * daprd between the component and the app, for one subscription (dapr pkg/runtime/subscription/subscription.go
 * `New`, the handler passed to the component's Subscribe; bulk: bulksubscription.go, bulkresiliency.go and
 * pkg/runtime/pubsub/default_bulksub.go):
 * 1. the entry's data is parsed as a CloudEvent; undecodable data goes to the dead-letter topic, if any;
 * 2. an event past its `expiration` is dropped (to the dead-letter topic, if any) and acknowledged;
 * 3. routing rules pick the path; no match and no default: dropped (to the dead-letter topic, if any);
 * 4. the resiliency policy runs the delivery (resiliency.ts): SUCCESS ends it; RETRY, an unknown status, a 5xx,
 *    no answer or an attempt past its timeout is retried; DROP (and, on daprd >= 1.17, an HTTP 404) is
 *    `ErrMessageDropped`: sent to the dead-letter topic, and retried when that publish fails; on 1.16 a 404 is
 *    a success (postman/http/http.go at v1.16.17 returns nil);
 * 5. when the policy gives up, daprd publishes the original message to the dead-letter topic; if there is
 *    none, or that publish fails, the handler returns the error to the component (component.ts decides).
 * Bulk: entries get random `entryId`s (default_bulksub.go uses uuid.NewRandom, not the event id), are flushed at
 * maxMessagesCount or maxAwaitDurationMs, and only failed entries are sent again.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type AppCall, postBulk, postEvent, type Verdict } from './app-client.ts';
import type { DaprVersion, HandlerResult } from './component.ts';
import { nextDelay, type ResiliencyPolicy } from './resiliency.ts';
import { routeFor } from './routing.ts';
import type { ProgrammaticSubscription } from '../../../runtime/transports/dapr/protocol.ts';

export interface DeliveryAttempt {
  readonly topic: string;
  readonly path: string;
  readonly bulk: boolean;
  readonly attempt: number;
  readonly httpStatus: number | 'unreachable' | 'timeout';
  /** By CloudEvent id. */
  readonly verdicts: Readonly<Record<string, Verdict>>;
  /** Bulk: the entry ids daprd generated, by CloudEvent id. */
  readonly entryIds?: Readonly<Record<string, string>>;
  /** The headers daprd sent (single deliveries). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The component's delivery of the entry this attempt belongs to (2+ = redelivered by the component). */
  readonly redelivery: number;
  /** When daprd sent the request (epoch ms). */
  readonly at: number;
}

export interface FinalOutcome {
  readonly topic: string;
  readonly eventId: string;
  /**
   * delivered: the app answered SUCCESS; dropped: DROP/404 without a dead-letter topic, or a 404 on 1.16;
   * dead-lettered: daprd published it to the dead-letter topic; expired: past its TTL;
   * undeliverable: daprd gave up and could not dead-letter it (the component then acknowledges it on >= 1.17,
   * so the event is gone, or keeps it pending on 1.16).
   */
  readonly result: 'delivered' | 'dropped' | 'dead-lettered' | 'expired' | 'undeliverable';
  readonly attempts: number;
  readonly redelivery: number;
}

export interface Message {
  readonly pubsub: string;
  readonly topic: string;
  /** The CloudEvent id ('' when the event has none). */
  readonly id: string;
  readonly cloudEvent: Record<string, unknown> | undefined;
  /** The entry's `data`: what the publisher's sidecar wrote. */
  readonly body: Buffer;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Where the engine writes what happened, and how it puts a dead letter back on the broker. */
export interface DeliveryRecorder {
  readonly deliveries: DeliveryAttempt[];
  readonly outcomes: FinalOutcome[];
  /** Publishes the message unchanged to the dead-letter topic; false when the broker refuses it. */
  forward(message: Message, deadLetterTopic: string): boolean;
}

export interface EngineSettings {
  readonly version: DaprVersion;
  readonly resiliency: ResiliencyPolicy;
  readonly appUrl: () => string;
  readonly appApiToken?: string;
  readonly tracing: boolean;
}

interface BulkWaiter {
  readonly message: Message;
  readonly redelivery: number;
  readonly resolve: (result: HandlerResult) => void;
}

export class FakeDeliveryEngine {
  readonly #settings: EngineSettings;
  readonly #recorder: DeliveryRecorder;
  #closed = false;
  readonly #bulkBuffers = new Map<
    ProgrammaticSubscription,
    { waiters: BulkWaiter[]; timer?: NodeJS.Timeout }
  >();

  constructor(settings: EngineSettings, recorder: DeliveryRecorder) {
    this.#settings = settings;
    this.#recorder = recorder;
  }

  /** daprd's handler for one entry of `subscription`'s topic; resolves with what it tells the component. */
  handle(
    subscription: ProgrammaticSubscription,
    message: Message,
    redelivery: number,
  ): Promise<HandlerResult> {
    const deadLetter = subscription.deadLetterTopic;
    if (message.cloudEvent === undefined) {
      // subscription.go: json.Unmarshal failed -> dead letter if configured and published, else an error.
      const forwarded = deadLetter ? this.#recorder.forward(message, deadLetter) : false;
      this.#outcome(message, forwarded ? 'dead-lettered' : 'undeliverable', 0, redelivery);
      return Promise.resolve(forwarded ? 'ok' : 'error');
    }
    if (hasExpired(message.cloudEvent)) {
      if (deadLetter) this.#recorder.forward(message, deadLetter);
      this.#outcome(message, 'expired', 0, redelivery);
      return Promise.resolve('ok');
    }
    const path = routeFor(subscription, message.cloudEvent);
    if (path === undefined) {
      if (deadLetter) this.#recorder.forward(message, deadLetter);
      this.#outcome(message, deadLetter ? 'dead-lettered' : 'dropped', 0, redelivery);
      return Promise.resolve('ok');
    }
    if (subscription.bulkSubscribe?.enabled) return this.#buffer(subscription, path, message, redelivery);
    return this.#deliverSingle(subscription, path, message, redelivery);
  }

  /** Stops every retry loop (a closed sidecar must not keep calling a port another server may reuse). */
  close(): void {
    this.#closed = true;
    for (const buffer of this.#bulkBuffers.values()) clearTimeout(buffer.timer);
  }

  async #deliverSingle(
    subscription: ProgrammaticSubscription,
    path: string,
    message: Message,
    redelivery: number,
  ): Promise<HandlerResult> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const call = this.#call(message);
      const at = Date.now();
      const result = await postEvent(this.#settings.appUrl(), path, message.body, call);
      this.#recorder.deliveries.push({
        topic: message.topic,
        path,
        bulk: false,
        attempt,
        httpStatus: result.httpStatus,
        verdicts: { [message.id]: result.verdict },
        headers: call.headers,
        redelivery,
        at,
      });
      const verdict = this.#versioned(result.verdict);
      if (verdict === 'success') return this.#outcome(message, 'delivered', attempt, redelivery, 'ok');
      if (verdict === 'not-found') return this.#outcome(message, 'dropped', attempt, redelivery, 'ok');
      if (verdict === 'drop') {
        const deadLetter = subscription.deadLetterTopic;
        if (!deadLetter) return this.#outcome(message, 'dropped', attempt, redelivery, 'ok');
        if (this.#recorder.forward(message, deadLetter)) {
          return this.#outcome(message, 'dead-lettered', attempt, redelivery, 'ok');
        }
        // The dead-letter publish failed: ErrMessageDropped goes back to the policy, which retries.
      }
      const delay = nextDelay(this.#settings.resiliency, attempt, Date.now() - started);
      if (delay === undefined) return this.#exhausted(subscription, message, attempt, redelivery);
      await sleep(delay);
      if (this.#closed) return 'error';
    }
  }

  #exhausted(
    subscription: ProgrammaticSubscription,
    message: Message,
    attempts: number,
    redelivery: number,
  ): HandlerResult {
    const deadLetter = subscription.deadLetterTopic;
    if (deadLetter && this.#recorder.forward(message, deadLetter)) {
      return this.#outcome(message, 'dead-lettered', attempts, redelivery, 'ok');
    }
    return this.#outcome(message, 'undeliverable', attempts, redelivery, 'error');
  }

  /** 404 is a drop on >= 1.17 and a success on 1.16; everything else reads the same on both. */
  #versioned(verdict: Verdict): Verdict | 'not-found' {
    if (verdict !== 'not-found') return verdict;
    return this.#settings.version === '1.16' ? 'not-found' : 'drop';
  }

  #call(message: Message): AppCall {
    const headers: Record<string, string> = {};
    // pkg/runtime/subscription/postman/http/http.go: the message metadata travels as HTTP headers.
    for (const [key, value] of Object.entries(message.metadata)) {
      if (key.toLowerCase() !== 'content-length') headers[key.toLowerCase()] = value;
    }
    headers.pubsubname = message.pubsub;
    const traceparent = callbackTraceparent(message.cloudEvent, this.#settings.tracing);
    if (traceparent) headers.traceparent = traceparent;
    if (this.#settings.appApiToken) headers['dapr-api-token'] = this.#settings.appApiToken;
    const timeoutMs = this.#settings.resiliency.timeoutMs;
    return { headers, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  }

  #buffer(
    subscription: ProgrammaticSubscription,
    _path: string,
    message: Message,
    redelivery: number,
  ): Promise<HandlerResult> {
    return new Promise((resolve) => {
      const buffer = this.#bulkBuffers.get(subscription) ?? { waiters: [] };
      this.#bulkBuffers.set(subscription, buffer);
      buffer.waiters.push({ message, redelivery, resolve });
      const { maxMessagesCount = 100, maxAwaitDurationMs = 1_000 } = subscription.bulkSubscribe ?? {};
      if (buffer.waiters.length >= maxMessagesCount) this.#flush(subscription);
      else buffer.timer ??= setTimeout(() => this.#flush(subscription), maxAwaitDurationMs);
    });
  }

  #flush(subscription: ProgrammaticSubscription): void {
    const buffer = this.#bulkBuffers.get(subscription);
    if (!buffer) return;
    clearTimeout(buffer.timer);
    buffer.timer = undefined;
    const byPath = new Map<string, BulkWaiter[]>();
    for (const waiter of buffer.waiters.splice(0)) {
      const path = routeFor(subscription, waiter.message.cloudEvent ?? {})!;
      byPath.set(path, [...(byPath.get(path) ?? []), waiter]);
    }
    for (const [path, waiters] of byPath) void this.#deliverBulk(subscription, path, waiters);
  }

  /** Only the entries answered RETRY (or not answered) are sent again, as daprd's bulk resiliency does. */
  async #deliverBulk(
    subscription: ProgrammaticSubscription,
    path: string,
    waiters: BulkWaiter[],
  ): Promise<void> {
    const started = Date.now();
    const entryIds = new Map(waiters.map((waiter) => [waiter, randomUUID()]));
    let remaining = waiters;
    for (let attempt = 1; remaining.length > 0; attempt++) {
      const at = Date.now();
      const result = await postBulk(
        this.#settings.appUrl(),
        path,
        {
          id: randomUUID(),
          entries: remaining.map((waiter) => ({
            entryId: entryIds.get(waiter)!,
            event: waiter.message.body,
            contentType: 'application/cloudevents+json',
            metadata: waiter.message.metadata,
          })),
          metadata: { pubsubName: subscription.pubsubname },
          pubsubname: subscription.pubsubname,
          topic: subscription.topic,
          type: 'com.dapr.event.sent.bulk',
        },
        this.#call(remaining[0]!.message),
      );
      const verdictOf = (waiter: BulkWaiter) => result.verdicts.get(entryIds.get(waiter)!) ?? 'retry';
      this.#recorder.deliveries.push({
        topic: subscription.topic,
        path,
        bulk: true,
        attempt,
        httpStatus: result.httpStatus,
        verdicts: Object.fromEntries(remaining.map((waiter) => [waiter.message.id, verdictOf(waiter)])),
        entryIds: Object.fromEntries(remaining.map((waiter) => [waiter.message.id, entryIds.get(waiter)!])),
        redelivery: Math.max(...remaining.map((waiter) => waiter.redelivery)),
        at,
      });
      const retry: BulkWaiter[] = [];
      for (const waiter of remaining) {
        const verdict = verdictOf(waiter);
        if (verdict === 'retry') retry.push(waiter);
        else waiter.resolve(this.#bulkFinal(subscription, waiter, verdict, attempt));
      }
      remaining = retry;
      if (remaining.length === 0) return;
      const delay = nextDelay(this.#settings.resiliency, attempt, Date.now() - started);
      if (delay === undefined) {
        for (const waiter of remaining) {
          waiter.resolve(this.#exhausted(subscription, waiter.message, attempt, waiter.redelivery));
        }
        return;
      }
      await sleep(delay);
      if (this.#closed) return;
    }
  }

  /** Bulk answers: SUCCESS; DROP goes to the dead letter (its failure ignored); a 404 drops the whole batch. */
  #bulkFinal(
    subscription: ProgrammaticSubscription,
    waiter: BulkWaiter,
    verdict: Verdict,
    attempt: number,
  ): HandlerResult {
    const { message, redelivery } = waiter;
    if (verdict === 'success') return this.#outcome(message, 'delivered', attempt, redelivery, 'ok');
    const deadLetter = verdict === 'drop' ? subscription.deadLetterTopic : undefined;
    if (deadLetter) this.#recorder.forward(message, deadLetter);
    return this.#outcome(message, deadLetter ? 'dead-lettered' : 'dropped', attempt, redelivery, 'ok');
  }

  #outcome(message: Message, result: FinalOutcome['result'], attempts: number, redelivery: number): void;
  #outcome(
    message: Message,
    result: FinalOutcome['result'],
    attempts: number,
    redelivery: number,
    handler: HandlerResult,
  ): HandlerResult;
  #outcome(
    message: Message,
    result: FinalOutcome['result'],
    attempts: number,
    redelivery: number,
    handler?: HandlerResult,
  ): HandlerResult | undefined {
    this.#recorder.outcomes.push({ topic: message.topic, eventId: message.id, result, attempts, redelivery });
    return handler;
  }
}

/** components-contrib pubsub/envelope.go HasExpired: an unparsable expiration never expires. */
function hasExpired(event: Record<string, unknown>): boolean {
  const expiration = event.expiration;
  if (typeof expiration !== 'string' || expiration === '') return false;
  const at = Date.parse(expiration);
  return Number.isFinite(at) && at < Date.now();
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The traceparent daprd sends with a delivery: its callback span, a child of the event's `traceparent` (or
 * `traceid`) attribute (postman/http/http.go `StartInternalCallbackSpan`), or a new root without one.
 */
function callbackTraceparent(
  event: Record<string, unknown> | undefined,
  tracing: boolean,
): string | undefined {
  if (!tracing) return undefined;
  const source = event?.traceparent ?? event?.traceid;
  const match = typeof source === 'string' ? TRACEPARENT.exec(source) : null;
  const traceId = match ? match[1]! : hex(16);
  return `00-${traceId}-${hex(8)}-${match ? match[3]! : '01'}`;
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
