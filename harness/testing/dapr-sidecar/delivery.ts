/**
 * The fake sidecar's delivery engine: what daprd does between the broker and the app. Each event goes to its
 * subscription's route (single POSTs, or bulk envelopes flushed at maxMessagesCount / maxAwaitDurationMs),
 * answers are read as daprd reads them (app-client.ts), RETRY and failures are retried by a
 * resiliency-like policy (for bulk, only the failed entries), and DROP, exhausted retries and events no route
 * matches are forwarded unchanged to the deadLetterTopic, when there is one.
 */
import { randomUUID } from 'node:crypto';
import { postBulk, postEvent, type Verdict } from './app-client.ts';
import { routeFor } from './routing.ts';
import type { ProgrammaticSubscription } from '../../../runtime/transports/dapr/protocol.ts';

export interface DeliveryAttempt {
  readonly topic: string;
  readonly path: string;
  readonly bulk: boolean;
  readonly attempt: number;
  readonly httpStatus: number | 'unreachable';
  readonly verdicts: Readonly<Record<string, Verdict>>;
}

export interface FinalOutcome {
  readonly topic: string;
  readonly eventId: string;
  readonly result: 'delivered' | 'dropped' | 'dead-lettered' | 'undeliverable';
  readonly attempts: number;
}

export interface Message {
  readonly pubsub: string;
  readonly topic: string;
  readonly id: string;
  readonly cloudEvent: Record<string, unknown>;
  readonly body: Buffer;
  readonly metadata: Readonly<Record<string, string>>;
}

interface BulkBuffer {
  messages: Message[];
  timer: NodeJS.Timeout | undefined;
}

export interface RetryPolicy {
  /** Retries after the first delivery (default 3). */
  readonly maxRetries?: number;
  /** Delay between attempts (default 50 ms), doubled per attempt when exponential. */
  readonly intervalMs?: number;
  readonly exponential?: boolean;
}

/** Where the engine writes what happened, and how it puts a dead letter back on the broker. */
export interface DeliveryRecorder {
  readonly deliveries: DeliveryAttempt[];
  readonly outcomes: FinalOutcome[];
  forward(message: Message, deadLetterTopic: string): void;
}

export class FakeDeliveryEngine {
  readonly #retry: RetryPolicy;
  readonly #appUrl: () => string;
  readonly #recorder: DeliveryRecorder;
  readonly #work = new Set<Promise<void>>();
  readonly #bulkBuffers = new Map<ProgrammaticSubscription, BulkBuffer>();

  constructor(retry: RetryPolicy, appUrl: () => string, recorder: DeliveryRecorder) {
    this.#retry = retry;
    this.#appUrl = appUrl;
    this.#recorder = recorder;
  }

  dispatch(subscription: ProgrammaticSubscription, message: Message): void {
    if (subscription.bulkSubscribe?.enabled) this.#buffer(subscription, message);
    else this.#track(this.#deliverSingle(subscription, message));
  }

  /** Resolves once no delivery is running, waiting for a retry, or buffered for a bulk delivery. */
  async idle(): Promise<void> {
    while (
      this.#work.size > 0 ||
      [...this.#bulkBuffers.values()].some((buffer) => buffer.messages.length > 0)
    ) {
      await Promise.race([...this.#work, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
  }

  close(): void {
    for (const buffer of this.#bulkBuffers.values()) clearTimeout(buffer.timer);
  }

  #track(work: Promise<void>): void {
    this.#work.add(work);
    void work.finally(() => this.#work.delete(work));
  }

  async #deliverSingle(subscription: ProgrammaticSubscription, message: Message): Promise<void> {
    const path = this.#route(subscription, message);
    if (path === undefined) return;
    const maxRetries = this.#retry.maxRetries ?? 3;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = {};
      if (typeof message.cloudEvent.traceparent === 'string')
        headers.traceparent = message.cloudEvent.traceparent;
      const result = await postEvent(this.#appUrl(), path, message.body, headers);
      this.#recorder.deliveries.push({
        topic: message.topic,
        path,
        bulk: false,
        attempt,
        httpStatus: result.httpStatus,
        verdicts: { [message.id]: result.verdict },
      });
      if (result.verdict !== 'retry') return this.#finish(subscription, message, result.verdict, attempt);
      if (attempt > maxRetries) return this.#finish(subscription, message, 'exhausted', attempt);
      await this.#backoff(attempt);
    }
  }

  #buffer(subscription: ProgrammaticSubscription, message: Message): void {
    const buffer = this.#bulkBuffers.get(subscription) ?? { messages: [], timer: undefined };
    this.#bulkBuffers.set(subscription, buffer);
    buffer.messages.push(message);
    const { maxMessagesCount = 100, maxAwaitDurationMs = 1_000 } = subscription.bulkSubscribe ?? {};
    if (buffer.messages.length >= maxMessagesCount) {
      this.#flush(subscription, buffer);
      return;
    }
    buffer.timer ??= setTimeout(() => this.#flush(subscription, buffer), maxAwaitDurationMs);
  }

  #flush(subscription: ProgrammaticSubscription, buffer: BulkBuffer): void {
    clearTimeout(buffer.timer);
    buffer.timer = undefined;
    const byPath = new Map<string, Message[]>();
    for (const message of buffer.messages.splice(0)) {
      const path = this.#route(subscription, message);
      if (path !== undefined) byPath.set(path, [...(byPath.get(path) ?? []), message]);
    }
    for (const [path, messages] of byPath) this.#track(this.#deliverBulk(subscription, path, messages));
  }

  /** Delivers a bulk; only the entries answered RETRY (or not answered) are sent again, as daprd does. */
  async #deliverBulk(
    subscription: ProgrammaticSubscription,
    path: string,
    messages: Message[],
  ): Promise<void> {
    const maxRetries = this.#retry.maxRetries ?? 3;
    let remaining = messages;
    for (let attempt = 1; remaining.length > 0; attempt++) {
      const result = await postBulk(this.#appUrl(), path, {
        id: randomUUID(),
        entries: remaining.map((message) => ({
          entryId: message.id,
          event: message.cloudEvent,
          contentType: 'application/cloudevents+json',
          metadata: message.metadata,
        })),
        metadata: { pubsubName: subscription.pubsubname },
        pubsubname: subscription.pubsubname,
        topic: subscription.topic,
        type: 'com.dapr.event.sent.bulk',
      });
      this.#recorder.deliveries.push({
        topic: subscription.topic,
        path,
        bulk: true,
        attempt,
        httpStatus: result.httpStatus,
        verdicts: Object.fromEntries(result.verdicts),
      });
      const retry: Message[] = [];
      for (const message of remaining) {
        const verdict = result.verdicts.get(message.id) ?? 'retry';
        if (verdict === 'retry') retry.push(message);
        else this.#finish(subscription, message, verdict, attempt);
      }
      if (retry.length > 0 && attempt > maxRetries) {
        for (const message of retry) this.#finish(subscription, message, 'exhausted', attempt);
        return;
      }
      remaining = retry;
      if (remaining.length > 0) await this.#backoff(attempt);
    }
  }

  /** The path for an event, or undefined: no rule matched, so daprd drops it (to the dead letter, if any). */
  #route(subscription: ProgrammaticSubscription, message: Message): string | undefined {
    const path = routeFor(subscription, message.cloudEvent);
    if (path === undefined) this.#finish(subscription, message, 'drop', 0);
    return path;
  }

  #finish(
    subscription: ProgrammaticSubscription,
    message: Message,
    verdict: Verdict | 'exhausted',
    attempts: number,
  ) {
    const base = { topic: message.topic, eventId: message.id, attempts };
    if (verdict === 'success') return void this.#recorder.outcomes.push({ ...base, result: 'delivered' });
    if (verdict === 'not-found') return void this.#recorder.outcomes.push({ ...base, result: 'dropped' });
    const deadLetterTopic = subscription.deadLetterTopic;
    if (deadLetterTopic) {
      this.#recorder.outcomes.push({ ...base, result: 'dead-lettered' });
      this.#recorder.forward(message, deadLetterTopic);
      return;
    }
    this.#recorder.outcomes.push({ ...base, result: verdict === 'drop' ? 'dropped' : 'undeliverable' });
  }

  #backoff(attempt: number): Promise<void> {
    const interval = this.#retry.intervalMs ?? 50;
    const delay = this.#retry.exponential ? interval * 2 ** (attempt - 1) : interval;
    return new Promise((resolve) => setTimeout(resolve, delay));
  }
}
