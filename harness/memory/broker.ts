/**
 * The memory mode's broker: deterministic, on virtual time, with every fault of the step vocabulary. Consumers
 * connect as numbered processes; a process can be killed (its unacknowledged deliveries go back to the queue,
 * attempt + 1, and whatever it does afterwards is ignored) or lose its connection (the same, but it keeps
 * running and reconnects). Nothing is dispatched until `pump` is called, so a burst of broker steps is applied
 * before any consumer sees it.
 *
 * Outcomes follow the Transport contract: ack removes the delivery, retry requeues it after its delay with
 * attempt + 1 (the same attempt for a retry that is a wait), dead-letter records it with its reason in the
 * dead-letter address. A delivery that ends without an outcome (killed process, lost connection) counts.
 */
import type {
  Delivery,
  DeliveryHandler,
  OutgoingMessage,
  Outcome,
  SubscriptionSpec,
} from 'eventwire/runtime';
import { routes } from 'eventwire/runtime/transports/memory-routing';
import type { ConsumerId, EventRef } from '../engine/types.ts';

export interface StoredMessage {
  readonly seq: number;
  readonly message: OutgoingMessage;
  readonly event?: EventRef;
}

interface Pending {
  readonly stored: StoredMessage;
  readonly attempt: number;
  readonly dueAt: number;
  readonly order: number;
}

export interface InFlight {
  readonly id: string;
  readonly pending: Pending;
  readonly consumer: ConsumerId;
  readonly group: Group;
  /** Its consumer lost the connection it came on: whatever the consumer answers is lost. */
  orphaned: boolean;
}

interface Subscriber {
  readonly handler: DeliveryHandler;
  readonly concurrency: number;
  readonly inFlight: Set<InFlight>;
}

export interface Group {
  readonly key: string;
  readonly spec: SubscriptionSpec;
  readonly subscribers: Map<ConsumerId, Subscriber>;
  queue: Pending[];
  nextSubscriber: number;
  /** Highest attempt each message reached in this group (a broker redelivery continues from it). */
  readonly attempts: Map<number, number>;
}

/** What the broker reports, as it happens (the world turns these into history). */
export interface BrokerObserver {
  delivered(inFlight: InFlight): void;
  settled(inFlight: InFlight, outcome: Outcome): void;
  /** Dispatch a delivery to its handler (the world wraps it in the delivery's context). */
  run(inFlight: InFlight, delivery: Delivery, handler: DeliveryHandler): Promise<Outcome>;
}

export class MemoryBroker {
  readonly #groups = new Map<string, Group>();
  /** Every message by sequence number, for redeliveries of messages no longer queued. */
  readonly #seen = new Map<number, StoredMessage>();
  readonly #observer: BrokerObserver;
  readonly #now: () => number;
  #nextSeq = 1;
  #nextOrder = 1;
  #nextDelivery = 1;

  constructor(observer: BrokerObserver, now: () => number) {
    this.#observer = observer;
    this.#now = now;
  }

  subscribe(consumer: ConsumerId, spec: SubscriptionSpec, handler: DeliveryHandler): void {
    const key = `${spec.service}/${spec.name}`;
    let group = this.#groups.get(key);
    if (!group) {
      group = { key, spec, subscribers: new Map(), queue: [], nextSubscriber: 0, attempts: new Map() };
      this.#groups.set(key, group);
    }
    group.subscribers.set(consumer, {
      handler,
      concurrency: Math.max(1, spec.concurrency),
      inFlight: new Set(),
    });
  }

  group(spec: SubscriptionSpec): Group | undefined {
    return this.#groups.get(`${spec.service}/${spec.name}`);
  }

  /** Store a message in every group its destination reaches; returns it for later duplicates. */
  publish(message: OutgoingMessage, event?: EventRef): StoredMessage {
    const stored: StoredMessage = { seq: this.#nextSeq++, message, ...(event ? { event } : {}) };
    for (const group of this.#groups.values()) {
      if (routes(message.destination, group.spec.source)) this.#enqueue(group, stored, 1, this.#now());
    }
    return stored;
  }

  /**
   * The broker delivers a message again (a lost ack, a consumer-group race): attempt + 1 over the highest it
   * reached (2 when it is still waiting for its first delivery). False when the message never reached the group.
   */
  redeliver(group: Group, seq: number): boolean {
    const stored = this.#storedIn(group, seq);
    if (!stored) return false;
    this.#enqueue(group, stored, (group.attempts.get(seq) ?? 1) + 1, this.#now());
    return true;
  }

  /** Deliver `seq` ahead of `before` if both wait in the group's queue with `before` first. */
  reorder(group: Group, seq: number, before: number): boolean {
    const at = group.queue.findIndex((item) => item.stored.seq === before);
    const from = group.queue.findIndex((item) => item.stored.seq === seq);
    if (at === -1 || from === -1 || from < at) return false;
    const [moved] = group.queue.splice(from, 1);
    const head = group.queue[at]!;
    group.queue.splice(at, 0, {
      ...moved!,
      dueAt: Math.min(moved!.dueAt, head.dueAt),
      order: head.order - 0.5,
    });
    return true;
  }

  /** A second copy of an in-flight delivery while it is still being handled (a processing timeout). */
  redeliverInFlight(inFlight: InFlight): void {
    this.#enqueue(inFlight.group, inFlight.pending.stored, inFlight.pending.attempt + 1, this.#now());
  }

  /** The process died: its deliveries go back unacknowledged; it receives nothing more. */
  kill(consumer: ConsumerId): void {
    for (const group of this.#groups.values()) {
      const subscriber = group.subscribers.get(consumer);
      if (!subscriber) continue;
      group.subscribers.delete(consumer);
      for (const inFlight of subscriber.inFlight) this.#takeBack(inFlight);
    }
  }

  /** The consumer's connection closed: its unacknowledged deliveries go back; it stays subscribed. */
  dropConnection(consumer: ConsumerId): void {
    for (const group of this.#groups.values()) {
      const subscriber = group.subscribers.get(consumer);
      if (!subscriber) continue;
      for (const inFlight of [...subscriber.inFlight]) {
        subscriber.inFlight.delete(inFlight);
        this.#takeBack(inFlight);
      }
    }
  }

  /** Start every due delivery a subscriber has room for; returns how many started. */
  pump(): number {
    const now = this.#now();
    let started = 0;
    for (const group of this.#groups.values()) {
      for (;;) {
        const head = group.queue[0];
        if (!head || head.dueAt > now) break;
        const pick = this.#pick(group);
        if (!pick) break;
        group.queue.shift();
        this.#dispatch(group, pick[0], pick[1], head);
        started++;
      }
    }
    return started;
  }

  /** Deliveries running on live connections. */
  get inFlight(): number {
    let count = 0;
    for (const group of this.#groups.values())
      for (const subscriber of group.subscribers.values()) count += subscriber.inFlight.size;
    return count;
  }

  /** Whether a delivery could start now. */
  dispatchable(): boolean {
    const now = this.#now();
    for (const group of this.#groups.values()) {
      const head = group.queue[0];
      if (head && head.dueAt <= now && this.#pick(group, false)) return true;
    }
    return false;
  }

  /** The earliest due time of a waiting delivery that has a subscriber, if any. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const group of this.#groups.values()) {
      const head = group.queue[0];
      if (head && group.subscribers.size > 0 && (next === undefined || head.dueAt < next)) next = head.dueAt;
    }
    return next;
  }

  /** Messages waiting or in flight in `group`. */
  leftIn(group: Group): { stored: StoredMessage; state: string }[] {
    const left: { stored: StoredMessage; state: string }[] = group.queue.map((item) => ({
      stored: item.stored,
      state: `waiting (attempt ${item.attempt})`,
    }));
    for (const subscriber of group.subscribers.values())
      for (const inFlight of subscriber.inFlight)
        left.push({
          stored: inFlight.pending.stored,
          state: `unacknowledged (attempt ${inFlight.pending.attempt})`,
        });
    return left;
  }

  #dispatch(group: Group, consumer: ConsumerId, subscriber: Subscriber, pending: Pending): void {
    const { message } = pending.stored;
    const inFlight: InFlight = {
      id: `d${this.#nextDelivery++}`,
      pending,
      consumer,
      group,
      orphaned: false,
    };
    group.attempts.set(
      pending.stored.seq,
      Math.max(group.attempts.get(pending.stored.seq) ?? 0, pending.attempt),
    );
    subscriber.inFlight.add(inFlight);
    const delivery: Delivery = {
      id: inFlight.id,
      body: message.body,
      headers: message.headers,
      attempt: pending.attempt,
      source: group.spec.source,
      address:
        message.destination.kind === 'topic' ? message.destination.topic : message.destination.routingKey,
    };
    this.#observer.delivered(inFlight);
    this.#observer
      .run(inFlight, delivery, subscriber.handler)
      .catch((error: unknown): Outcome => ({ kind: 'retry', delayMs: 0, error: String(error) }))
      .then((outcome) => this.#settle(subscriber, inFlight, outcome));
  }

  #settle(subscriber: Subscriber, inFlight: InFlight, outcome: Outcome): void {
    // A dead process or a closed connection: the answer never reaches the broker.
    if (inFlight.orphaned || !subscriber.inFlight.delete(inFlight)) return;
    const { group, pending } = inFlight;
    if (outcome.kind === 'retry') {
      // A wait (another consumer's claim, a missing ordering predecessor) is redelivered without counting it.
      const counted = (outcome as { readonly wait?: boolean }).wait === true ? 0 : 1;
      this.#enqueue(
        group,
        pending.stored,
        pending.attempt + counted,
        this.#now() + Math.max(0, outcome.delayMs),
      );
    }
    this.#observer.settled(inFlight, outcome);
  }

  #takeBack(inFlight: InFlight): void {
    if (inFlight.orphaned) return;
    inFlight.orphaned = true;
    const { group, pending } = inFlight;
    this.#enqueue(group, pending.stored, pending.attempt + 1, this.#now());
  }

  #pick(group: Group, advance = true): [ConsumerId, Subscriber] | undefined {
    const entries = [...group.subscribers];
    for (let i = 0; i < entries.length; i++) {
      const index = (group.nextSubscriber + i) % entries.length;
      const [consumer, subscriber] = entries[index]!;
      if (subscriber.inFlight.size < subscriber.concurrency) {
        if (advance) group.nextSubscriber = (index + 1) % entries.length;
        return [consumer, subscriber];
      }
    }
    return undefined;
  }

  #storedIn(group: Group, seq: number): StoredMessage | undefined {
    for (const item of group.queue) if (item.stored.seq === seq) return item.stored;
    for (const subscriber of group.subscribers.values())
      for (const inFlight of subscriber.inFlight)
        if (inFlight.pending.stored.seq === seq) return inFlight.pending.stored;
    return this.#seen.get(seq);
  }

  #enqueue(group: Group, stored: StoredMessage, attempt: number, dueAt: number): void {
    this.#seen.set(stored.seq, stored);
    const item: Pending = { stored, attempt, dueAt, order: this.#nextOrder++ };
    // Sorted by due time, then enqueue order: without faults, a group sees messages in publish order.
    let index = group.queue.length;
    while (index > 0) {
      const other = group.queue[index - 1]!;
      if (other.dueAt < item.dueAt || (other.dueAt === item.dueAt && other.order < item.order)) break;
      index--;
    }
    group.queue.splice(index, 0, item);
  }
}
