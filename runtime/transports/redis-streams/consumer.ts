/**
 * One subscription on one stream: a consumer in a consumer group.
 *
 * - New entries: blocking XREADGROUP (reader.ts) into a local queue that holds up to `batchSize` entries
 *   beyond the running handlers (Dapr's queueDepth): the next batch is read while this one is handled, so a
 *   consumer never idles for a round trip between batches.
 * - Settling: XACK (batched) only once the pipeline's outcome is ack or dead-letter; a dead letter is XADDed to
 *   the dead-letter stream in the same transaction as the XACK (dead-letter.ts).
 * - Retry: the entry stays pending; after the outcome's delay a local timer re-claims it, which bumps Redis'
 *   delivery counter, and that counter is the next attempt number (leases.ts). A wait (another consumer's
 *   claim, an ordering predecessor) re-claims it with the counter unchanged: waits spend no attempt.
 * - Memory: reads run ahead by at most `batchSize` entries and `maxQueuedBytes` bytes, and a read asks for as
 *   many entries as fit the byte budget at the size of the largest entry lately seen; oversized entries are
 *   dead-lettered `too-large` by the pipeline before they are parsed.
 * - Leases: every entry this consumer holds (queued, running, backing off) has its idle time reset periodically,
 *   so `processingTimeout` measures how long its owner has been silent, not how long a handler runs.
 * - Crash recovery: entries idle for processingTimeout (their owner stopped renewing) are taken over with
 *   XAUTOCLAIM; the delivery counter carries the attempt across consumers.
 * - Lost read replies: a read Redis served but whose reply the connection lost (a reset, a cut proxy, a broker
 *   killed mid-reply; ioredis then sends the read again) leaves entries pending under this consumer's name that
 *   it never saw. After every reconnect of the reading connection, once the read ioredis sent again returns (at
 *   most `blockMs`), the consumer claims back its own pending entries it does not hold (claimOwned: the counter
 *   goes up, as a takeover's would), so they are delivered then instead of after processingTimeout.
 */
import type { Redis } from 'ioredis';
import type { Destination, SubscriptionSpec } from '../../spec.ts';
import {
  type Delivery,
  type DeliveryHandler,
  deadLetterBody,
  type Outcome,
  type SubscriptionHandle,
} from '../../transport.ts';
import { AckBatcher } from './ack-batcher.ts';
import { type DeadLetterTarget, deadLetter } from './dead-letter.ts';
import { ensureGroup, releaseConsumer } from './group.ts';
import { type DecodedEntry, decodeEntry } from './layout.ts';
import { claimIdle, claimOwned, ownPending, renewLeases, setCounts } from './leases.ts';
import type { ResolvedOptions } from './options.ts';
import { BlockingReader } from './reader.ts';
import type { RawEntry } from './replies.ts';
import { errorText, type StreamRef } from './stream-ref.ts';

/** Backoff of the read loop after a failed read: the first retry, and the longest wait. */
const READ_RETRY_FIRST_MS = 50;
const READ_RETRY_MAX_MS = 1_000;

export interface ConsumerSetup {
  readonly spec: SubscriptionSpec;
  readonly handler: DeliveryHandler;
  /** The topic as published (the stream key without the prefix): the delivery's address. */
  readonly topic: string;
  readonly ref: StreamRef;
  readonly deadLetter: DeadLetterTarget;
  readonly blocking: Redis;
  readonly options: ResolvedOptions;
}

interface Queued {
  readonly entry: RawEntry;
  readonly attempt: number;
  readonly bytes: number;
}

/** An entry this consumer owns: its attempt, and while it backs off its retry timer and whether it waits. */
interface Held {
  readonly attempt: number;
  readonly timer?: NodeJS.Timeout;
  readonly wait?: boolean;
}

/** What most held entries are (a first delivery, no retry pending): one shared object, not one per entry. */
const FIRST_DELIVERY: Held = Object.freeze({ attempt: 1 });

export class StreamConsumer implements SubscriptionHandle {
  readonly #s: ConsumerSetup;
  readonly #ref: StreamRef;
  readonly #reader: BlockingReader;
  readonly #acks: AckBatcher;
  readonly #concurrency: number;
  /** Every entry this consumer owns; those backing off carry their retry timer. */
  readonly #held = new Map<string, Held>();
  readonly #queue: Queued[] = [];
  #queuedBytes = 0;
  /** The largest entry of the last read: the next read asks for as many as fit the byte budget at that size. */
  #entryBytes: number;
  #running = 0;
  /** Failed reads in a row, for the retry's backoff. */
  #readFailures = 0;
  /** The reading connection reconnected: a reply it lost may have left entries pending under this consumer. */
  #reconnected = false;
  #stopping = false;
  #capacityWaiter: (() => void) | undefined;
  #drainWaiter: (() => void) | undefined;
  #readLoop: Promise<void> = Promise.resolve();
  #claimCursor = '0-0';
  #claiming = false;
  #timers: NodeJS.Timeout[] = [];
  #stopped: Promise<void> | undefined;

  constructor(setup: ConsumerSetup) {
    this.#s = setup;
    this.#ref = setup.ref;
    this.#reader = new BlockingReader(setup.ref, setup.blocking);
    this.#acks = new AckBatcher(setup.ref.commands, setup.ref.stream, setup.ref.group);
    this.#concurrency = setup.options.concurrency ?? Math.max(1, setup.spec.concurrency);
    // The first read assumes large entries (two fill the budget), so a stream of huge ones cannot flood it.
    this.#entryBytes = setup.options.maxQueuedBytes / 2;
  }

  async start(): Promise<void> {
    await ensureGroup(this.#ref, this.#s.options.groupStartId);
    await this.#reader.init(() => {
      this.#reconnected = true;
    });
    this.#readLoop = this.#read();
    const { claimIntervalMs, leaseRenewIntervalMs } = this.#s.options;
    this.#timers.push(setInterval(() => void this.#claimIdle(), claimIntervalMs));
    this.#timers.push(setInterval(() => void this.#renewLeases(), leaseRenewIntervalMs));
    void this.#claimIdle();
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  /**
   * Room in the local queue: handler slots plus the read-ahead depth, minus what is running or queued, and no
   * more entries than fit the byte budget at the size of the largest recent entry (0 while the budget is spent).
   */
  #freeSlots(): number {
    const { batchSize, maxQueuedBytes } = this.#s.options;
    const slots = this.#concurrency + batchSize - this.#running - this.#queue.length;
    const bytesLeft = maxQueuedBytes - this.#queuedBytes;
    if (bytesLeft <= 0) return 0;
    return Math.min(slots, Math.max(1, Math.floor(bytesLeft / this.#entryBytes)));
  }

  async #read(): Promise<void> {
    const { batchSize, blockMs } = this.#s.options;
    while (!this.#stopping) {
      if (this.#freeSlots() <= 0) {
        await new Promise<void>((resolve) => (this.#capacityWaiter = resolve));
        continue;
      }
      try {
        if (this.#reconnected) {
          this.#reconnected = false;
          await this.#claimLostReads().catch((error: unknown) => {
            this.#reconnected = true; // still down: look again after the backoff
            throw error;
          });
          continue;
        }
        const entries = await this.#reader.read(Math.min(batchSize, this.#freeSlots()), blockMs);
        this.#readFailures = 0;
        if (entries.length > 0) this.#entryBytes = Math.max(...entries.map(entryBytes));
        for (const entry of entries) this.#enqueue(entry, 1);
      } catch (error) {
        if (this.#stopping) break;
        await this.#recoverFromReadError(error);
      }
    }
  }

  /**
   * Claims back the entries pending under this consumer's name that it does not hold: those of a read whose
   * reply was lost. Runs in the read loop, between reads, so no read of this consumer is in flight and every
   * entry a read returned is already held. Entries past the free slots wait for the takeover.
   */
  async #claimLostReads(): Promise<void> {
    const budget = this.#freeSlots();
    if (budget <= 0) return;
    const pending = await ownPending(this.#ref, this.#held.size + budget);
    const lost = pending.filter((id) => !this.#held.has(id)).slice(0, budget);
    for (const id of lost) {
      const claimed = await claimOwned(this.#ref, id, false);
      if (this.#stopping) return;
      if (claimed === 'lost' || claimed === 'gone' || this.#held.has(id)) continue;
      this.#s.options.logger.warn('a read reply was lost; delivering its entry again', {
        stream: this.#ref.stream,
        id,
        attempt: claimed.attempt,
      });
      this.#enqueue(claimed.entry, claimed.attempt);
    }
  }

  async #recoverFromReadError(error: unknown): Promise<void> {
    const { logger } = this.#s.options;
    if (errorText(error).startsWith('NOGROUP')) {
      // The stream or group was deleted (flush, failover without persistence): recreate it, as Dapr does.
      logger.warn('consumer group vanished; recreating it', {
        stream: this.#ref.stream,
        group: this.#ref.group,
      });
      await ensureGroup(this.#ref, this.#s.options.groupStartId).catch(() => undefined);
      return;
    }
    // A read fails when its connection drops (the next read waits in ioredis' queue for the reconnect) or on an
    // error reply such as LOADING while a restarted Redis reads its AOF: the first retry comes after 50 ms, later
    // ones back off up to a second, so a broker that answers errors is not hammered and a reconnect costs no
    // fixed second.
    const delayMs = Math.min(READ_RETRY_MAX_MS, READ_RETRY_FIRST_MS * 2 ** this.#readFailures);
    this.#readFailures++;
    logger.error(`XREADGROUP failed; retrying in ${delayMs} ms`, {
      stream: this.#ref.stream,
      error: errorText(error),
    });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }

  #enqueue(entry: RawEntry, attempt: number, first = false): void {
    this.#held.set(entry.id, attempt === 1 ? FIRST_DELIVERY : { attempt });
    const queued = { entry, attempt, bytes: entryBytes(entry) };
    this.#queuedBytes += queued.bytes;
    if (first) this.#queue.unshift(queued);
    else this.#queue.push(queued);
    this.#pump();
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      this.#queuedBytes -= next.bytes;
      this.#running++;
      // `then(done, done)` rather than `finally(done)`: finally costs two more promises and ticks per delivery.
      void this.#process(next).then(this.#processed, this.#processed);
    }
  }

  readonly #processed = (): void => {
    this.#running--;
    this.#pump();
    this.#capacityWaiter?.();
    this.#capacityWaiter = undefined;
    if (this.#running === 0 && this.#queue.length === 0) this.#drainWaiter?.();
  };

  async #process({ entry, attempt }: Queued): Promise<void> {
    const decoded = decodeEntry(entry.fields);
    const delivery = new StreamDelivery(entry.id, decoded, attempt, this.#s.spec.source, this.#s.topic);
    let outcome: Outcome;
    try {
      outcome = await this.#s.handler(delivery);
    } catch (error) {
      outcome = fallbackOutcome(error, attempt, this.#s.spec);
    }
    try {
      // The common outcome settled here: one async frame less per delivery than through #settle.
      if (outcome.kind === 'ack') {
        await this.#acks.ack(entry.id);
        this.#held.delete(entry.id);
      } else await this.#settle(entry.id, decoded, attempt, outcome);
    } catch (error) {
      // Not acknowledged: the entry stays pending and is taken over after processingTimeout.
      this.#held.delete(entry.id);
      this.#s.options.logger.error('could not settle a delivery; it will be redelivered', {
        stream: this.#ref.stream,
        id: entry.id,
        outcome: outcome.kind,
        error: errorText(error),
      });
    }
  }

  /** Every outcome but `ack`, which #process settles itself (the common case, one async frame less). */
  async #settle(
    id: string,
    entry: DecodedEntry,
    attempt: number,
    outcome: Exclude<Outcome, { readonly kind: 'ack' }>,
  ): Promise<void> {
    switch (outcome.kind) {
      case 'dead-letter': {
        const copy = deadLetterBody(entry.body, outcome);
        const dead = { body: copy.body, headers: { ...entry.headers, ...copy.headers } };
        await deadLetter(this.#ref, this.#s.deadLetter, id, dead, {
          subscription: this.#s.spec.name,
          reason: outcome.reason,
          error: outcome.error,
          attempts: attempt,
        });
        this.#held.delete(id);
        return;
      }
      case 'retry':
        if (this.#stopping) {
          // Left pending: another consumer takes it over after processingTimeout, counter intact (one lower for a
          // wait, such as an event the ordering guard held when the stop began: the takeover counts one).
          this.#held.delete(id);
          if (outcome.wait) await setCounts(this.#ref, new Map([[id, attempt - 1]]));
          return;
        }
        this.#held.set(id, {
          attempt,
          wait: outcome.wait === true,
          timer: setTimeout(() => void this.#redeliver(id), Math.max(0, outcome.delayMs)),
        });
        return;
    }
  }

  async #redeliver(id: string): Promise<void> {
    const held = this.#held.get(id);
    if (this.#stopping || !held) return;
    try {
      const claimed = await claimOwned(this.#ref, id, held.wait === true);
      if (this.#stopping) return;
      if (claimed === 'lost' || claimed === 'gone') {
        this.#held.delete(id);
        return;
      }
      this.#enqueue(claimed.entry, claimed.attempt, true);
    } catch (error) {
      // Still pending and still leased: try again shortly.
      this.#s.options.logger.warn('redelivery claim failed; retrying', { id, error: errorText(error) });
      if (!this.#stopping) {
        this.#held.set(id, { ...held, timer: setTimeout(() => void this.#redeliver(id), 1_000) });
      }
    }
  }

  async #renewLeases(): Promise<void> {
    const ids = [...this.#held.keys()];
    if (ids.length === 0) return;
    try {
      const owned = await renewLeases(this.#ref, ids);
      for (const id of ids) {
        const timer = this.#held.get(id)?.timer;
        if (owned.has(id) || !timer) continue;
        clearTimeout(timer); // taken over while backing off: the new owner retries it
        this.#held.delete(id);
      }
    } catch (error) {
      this.#s.options.logger.warn('lease renewal failed', {
        stream: this.#ref.stream,
        error: errorText(error),
      });
    }
  }

  async #claimIdle(): Promise<void> {
    if (this.#stopping || this.#claiming) return;
    this.#claiming = true;
    try {
      let budget = this.#freeSlots();
      while (budget > 0 && !this.#stopping) {
        budget = Math.min(budget, this.#freeSlots());
        const { processingTimeoutMs } = this.#s.options;
        const { cursor, claimed } = await claimIdle(
          this.#ref,
          processingTimeoutMs,
          this.#claimCursor,
          budget,
        );
        this.#claimCursor = cursor;
        if (claimed.length > 0) this.#entryBytes = Math.max(...claimed.map(({ entry }) => entryBytes(entry)));
        // An entry of our own can be idle that long only if renewals failed; it is queued or running already.
        for (const { entry, attempt } of claimed)
          if (!this.#held.has(entry.id)) this.#enqueue(entry, attempt);
        budget -= Math.max(1, claimed.length);
        if (cursor === '0-0') break;
      }
    } catch (error) {
      this.#s.options.logger.warn('taking over idle entries failed', {
        stream: this.#ref.stream,
        error: errorText(error),
      });
    } finally {
      this.#claiming = false;
    }
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearInterval(timer);
    const waiting = new Map<string, number>();
    for (const [id, held] of this.#held) {
      if (!held.timer) continue;
      clearTimeout(held.timer); // backing off: stays pending for the next consumer
      // The next consumer's takeover counts a delivery: a wait must come back at the attempt it is at.
      if (held.wait) waiting.set(id, held.attempt - 1);
      this.#held.delete(id);
    }
    await setCounts(this.#ref, waiting).catch((error) =>
      this.#s.options.logger.warn('could not hand over waiting entries at their attempt', {
        stream: this.#ref.stream,
        error: errorText(error),
      }),
    );
    this.#capacityWaiter?.();
    await this.#reader.interrupt(this.#readLoop, this.#s.options.blockMs + 2_000);
    if (this.#running > 0 || this.#queue.length > 0) {
      await new Promise<void>((resolve) => {
        this.#drainWaiter = resolve;
        this.#pump();
      });
    }
    await releaseConsumer(this.#ref).catch((error) =>
      this.#s.options.logger.warn('could not release the consumer', { error: errorText(error) }),
    );
    await this.#reader.close();
  }
}

/**
 * A stream entry handed to the pipeline. Its headers are the entry's metadata, parsed on first read (layout.ts): the
 * pipeline does not read them. A class rather than an object literal with a getter, which V8 builds on a slow path
 * (a runtime call and a closure for every delivery).
 */
class StreamDelivery implements Delivery {
  readonly id: string;
  readonly body: Buffer;
  readonly attempt: number;
  readonly source: Destination;
  readonly address: string;
  readonly #entry: DecodedEntry;

  constructor(id: string, entry: DecodedEntry, attempt: number, source: Destination, address: string) {
    this.id = id;
    this.body = entry.body;
    this.attempt = attempt;
    this.source = source;
    this.address = address;
    this.#entry = entry;
  }

  get headers(): Readonly<Record<string, string>> {
    return this.#entry.headers;
  }
}

/** Bytes an entry holds in memory (its field names and values). */
function entryBytes(entry: RawEntry): number {
  let bytes = 0;
  for (const field of entry.fields) bytes += field.length;
  return bytes;
}

/**
 * The pipeline always answers with an outcome; should a handler throw anyway, keep the entry on the retry path
 * and let the contract's retry limit end it, so a broken handler cannot loop forever.
 */
function fallbackOutcome(error: unknown, attempt: number, spec: SubscriptionSpec): Outcome {
  const message = errorText(error);
  if (attempt > spec.retry.maxRetries)
    return { kind: 'dead-letter', reason: 'retries-exhausted', error: message };
  return { kind: 'retry', delayMs: spec.retry.initialIntervalMs, error: message };
}
