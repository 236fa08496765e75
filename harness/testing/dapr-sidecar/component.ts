/**
 * The pub/sub component under the fake sidecar, following components-contrib pubsub/redis/redis.go
 * (`redisStreams`), which every Dapr version the fake models uses the same way:
 * - each topic is a stream; a subscribing app is a consumer group that starts at `0`, so the whole retained
 *   stream is delivered when a subscription first appears (`CreateConsumerGroup`);
 * - read entries wait in one internal queue of `queueDepth` per component and are taken by `concurrency`
 *   workers (`Init`, `worker`); an entry is pending from the moment it is read, so time spent in that queue
 *   counts toward `processingTimeout` (dapr/components-contrib#4599);
 * - every `redeliverInterval`, entries pending longer than `processingTimeout` are claimed again and queued
 *   again, even while the first delivery is still running (`reclaimPendingMessagesLoop`; dapr/dapr#3481);
 * - after daprd's handler returns (`processMessage`): success is acknowledged; a failure is acknowledged too on
 *   daprd >= 1.17 (components-contrib PR #4208: "always ACK after the handler returns") unless the handler's
 *   context ran out (processingTimeout since the worker took the entry), and left pending on 1.16.
 */

export type DaprVersion = '1.16' | '1.17';

export interface ComponentOptions {
  /** pubsub.redis `processingTimeout` (default 60 s); 0 disables redelivery of pending entries. */
  readonly processingTimeoutMs?: number;
  /** pubsub.redis `redeliverInterval` (default 15 s); 0 disables redelivery of pending entries. */
  readonly redeliverIntervalMs?: number;
  /** Workers per component (default 10). */
  readonly concurrency?: number;
  /** Entries read ahead into the component's queue (default 100). */
  readonly queueDepth?: number;
}

export interface StreamEntry<T> {
  readonly streamId: string;
  readonly value: T;
}

/** What daprd's subscription handler answers the component: 'ok' is acknowledged, 'error' depends on the version. */
export type HandlerResult = 'ok' | 'error';

export interface PendingEntry<T> {
  readonly entry: StreamEntry<T>;
  readonly subscriptionKey: string;
  /** When the entry was last read or claimed: its idle time starts there. */
  claimedAt: number;
  /** Times the component handed it to a worker (1 = first read). */
  deliveries: number;
  acked: boolean;
}

export interface ComponentHooks<T> {
  /** daprd's handler for one delivery of an entry (`delivery`: 1 when first read, +1 per reclaim). */
  handle(subscriptionKey: string, pending: PendingEntry<T>, delivery: number): Promise<HandlerResult>;
  /** Fault hook: keep an entry this long in the internal queue before a worker may take it. */
  holdInQueue?(pending: PendingEntry<T>, delivery: number): number | undefined;
  /** Called when the component acknowledges an entry, with daprd's last result for it. */
  acked?(pending: PendingEntry<T>, result: HandlerResult): void;
  /** Called when a failed entry is left pending (1.16, or a handler whose context ran out). */
  keptPending?(pending: PendingEntry<T>): void;
}

interface Group<T> {
  readonly key: string;
  readonly stream: string;
  next: number;
  readonly pending: Map<string, PendingEntry<T>>;
}

export class FakeComponent<T> {
  readonly #options: Required<ComponentOptions>;
  readonly #version: DaprVersion;
  readonly #hooks: ComponentHooks<T>;
  readonly #streams = new Map<string, StreamEntry<T>[]>();
  readonly #groups = new Map<string, Group<T>>();
  readonly #queue: { pending: PendingEntry<T>; delivery: number }[] = [];
  readonly #work = new Set<Promise<void>>();
  #busy = 0;
  #sequence = 0;
  #reclaimTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: ComponentOptions, version: DaprVersion, hooks: ComponentHooks<T>) {
    this.#options = {
      processingTimeoutMs: options.processingTimeoutMs ?? 60_000,
      redeliverIntervalMs: options.redeliverIntervalMs ?? 15_000,
      concurrency: options.concurrency ?? 10,
      queueDepth: options.queueDepth ?? 100,
    };
    this.#version = version;
    this.#hooks = hooks;
    const { processingTimeoutMs, redeliverIntervalMs } = this.#options;
    if (processingTimeoutMs > 0 && redeliverIntervalMs > 0) {
      this.#reclaimTimer = setInterval(() => this.reclaim(), redeliverIntervalMs);
      this.#reclaimTimer.unref();
    }
  }

  /** XADD: the broker has the entry. */
  append(stream: string, value: T): StreamEntry<T> {
    const entry = { streamId: `${Date.now()}-${this.#sequence++}`, value };
    const entries = this.#streams.get(stream) ?? [];
    entries.push(entry);
    this.#streams.set(stream, entries);
    this.#pump();
    return entry;
  }

  entries(stream: string): readonly StreamEntry<T>[] {
    return this.#streams.get(stream) ?? [];
  }

  /** Subscribe: the consumer group is created at `0` the first time, then read like any new entries. */
  subscribe(subscriptionKey: string, stream: string): void {
    if (!this.#groups.has(subscriptionKey)) {
      this.#groups.set(subscriptionKey, { key: subscriptionKey, stream, next: 0, pending: new Map() });
    }
    this.#pump();
  }

  /** Entries read but not acknowledged, per subscription. */
  pending(subscriptionKey: string): PendingEntry<T>[] {
    return [...(this.#groups.get(subscriptionKey)?.pending.values() ?? [])];
  }

  /** One pass of the reclaim loop now (the loop also runs every redeliverInterval). */
  reclaim(now = Date.now()): number {
    let claimed = 0;
    for (const group of this.#groups.values()) {
      for (const pending of group.pending.values()) {
        if (now - pending.claimedAt < this.#options.processingTimeoutMs) continue;
        pending.claimedAt = now;
        pending.deliveries++;
        this.#queue.push({ pending, delivery: pending.deliveries });
        claimed++;
      }
    }
    if (claimed > 0) this.#pump();
    return claimed;
  }

  /** No entry queued, being handled, or unread by a subscription. */
  get quiet(): boolean {
    return (
      this.#queue.length === 0 &&
      this.#busy === 0 &&
      [...this.#groups.values()].every((group) => group.next >= this.entries(group.stream).length)
    );
  }

  async settled(): Promise<void> {
    while (this.#work.size > 0) await Promise.race(this.#work);
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#reclaimTimer);
  }

  /** XREADGROUP into the queue while it has room, then hand queued entries to free workers. */
  #pump(): void {
    if (this.#closed) return;
    for (const group of this.#groups.values()) {
      const entries = this.entries(group.stream);
      while (group.next < entries.length && this.#queue.length < this.#options.queueDepth) {
        const entry = entries[group.next++]!;
        const pending: PendingEntry<T> = {
          entry,
          subscriptionKey: group.key,
          claimedAt: Date.now(),
          deliveries: 1,
          acked: false,
        };
        group.pending.set(entry.streamId, pending);
        this.#queue.push({ pending, delivery: 1 });
      }
    }
    while (this.#busy < this.#options.concurrency && this.#queue.length > 0) {
      const { pending, delivery } = this.#queue.shift()!;
      this.#busy++;
      const work = this.#process(pending, delivery).finally(() => {
        this.#busy--;
        this.#work.delete(work);
        this.#pump();
      });
      this.#work.add(work);
    }
  }

  async #process(pending: PendingEntry<T>, delivery: number): Promise<void> {
    const hold = this.#hooks.holdInQueue?.(pending, delivery);
    if (hold && hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
    const started = Date.now();
    const result = await this.#hooks.handle(pending.subscriptionKey, pending, delivery);
    const { processingTimeoutMs, redeliverIntervalMs } = this.#options;
    const contextExpired =
      processingTimeoutMs > 0 && redeliverIntervalMs > 0 && Date.now() - started >= processingTimeoutMs;
    const ack = result === 'ok' || (this.#version !== '1.16' && !contextExpired);
    if (!ack) {
      this.#hooks.keptPending?.(pending);
      return;
    }
    const group = this.#groups.get(pending.subscriptionKey);
    // XACK of an entry another delivery already acknowledged is a no-op.
    if (group?.pending.delete(pending.entry.streamId)) {
      pending.acked = true;
      this.#hooks.acked?.(pending, result);
    }
  }
}
