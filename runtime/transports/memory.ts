/**
 * In-memory transport: deterministic, fault-injectable, and faithful to the Transport contract, so the
 * pipeline's delivery rules can be proven without a broker and a property-based harness can drive faults.
 *
 * - Publish appends to every subscription group whose source matches (topic equality, AMQP exchange-type
 *   routing), in publish order. A group is the subscription name: instances subscribing with the same spec
 *   compete for its deliveries (round-robin); different subscriptions each get a copy. Messages published
 *   while no group matches are not kept, as with a broker without a bound queue.
 * - Each consumer runs at most `spec.concurrency` deliveries at once; deliveries start in (due time, publish)
 *   order, so without faults a subscription sees events in publish order.
 * - Outcomes: ack removes the delivery; retry redelivers it after `delayMs` with attempt + 1 (the same attempt
 *   for a wait); a crash before the outcome redelivers with attempt + 1; dead-letter
 *   publishes it, annotated, to the dead-letter address as a topic and records it in `deadLetters`.
 * - Time comes from the injected Clock: with a VirtualClock, delays and timeouts pass only when advanced.
 */
import { type Clock, flushAsync, sleep, systemClock, VirtualClock } from '../clock.ts';
import { type Random, seededRandom } from '../random.ts';
import type { SubscriptionSpec } from '../spec.ts';
import type {
  DeliveryHandler,
  OutgoingMessage,
  Outcome,
  SubscriptionHandle,
  Transport,
} from '../transport.ts';
import type { FaultContext, FaultInjector, FaultRecord } from './memory-faults.ts';
import { DeliveryQueue, type PendingDelivery, type StoredMessage } from './memory-queue.ts';
import { routes } from './memory-routing.ts';
import { dispatchDelivery, type Group } from './memory-dispatch.ts';
import { type DeadLetterRecord, deadLetterOf, type OutcomeRecord } from './memory-records.ts';

export interface MemoryTransportOptions {
  readonly clock?: Clock;
  /** Seed of the random source handed to fault injectors (default 1). */
  readonly seed?: number;
  readonly faults?: FaultInjector;
  /** Delay before redelivering after a crash-before-ack or a throwing handler (default 0). */
  readonly redeliveryDelayMs?: number;
  /** Keep every published message in `published` (default true; turn off for benchmarks). */
  readonly recordPublished?: boolean;
}

export class MemoryTransport implements Transport {
  readonly kind = 'memory' as const;
  readonly clock: Clock;
  readonly published: OutgoingMessage[] = [];
  readonly deadLetters: DeadLetterRecord[] = [];
  readonly outcomes: OutcomeRecord[] = [];
  readonly faultLog: FaultRecord[] = [];
  readonly #options: MemoryTransportOptions;
  readonly #random: Random;
  readonly #groups = new Map<string, Group>();
  readonly #idleWaiters: (() => void)[] = [];
  #nextId = 1;
  #nextSeq = 1;
  #closed = false;

  constructor(options: MemoryTransportOptions = {}) {
    this.#options = options;
    this.clock = options.clock ?? systemClock;
    this.#random = seededRandom(options.seed ?? 1);
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.#closed) throw new Error('memory transport is closed');
    const context = this.#faultContext();
    // All-or-nothing, like one broker batch: decide every failure before storing anything.
    for (const message of messages) {
      if (this.#options.faults?.publish?.(message, context).kind === 'fail-publish') {
        this.#logFault('fail-publish', message.eventId);
        throw new Error(`injected publish failure for event ${message.eventId}`);
      }
    }
    for (const message of messages) this.#route({ id: `${this.#nextId++}-0`, message }, true);
  }

  async subscribe(spec: SubscriptionSpec, handler: DeliveryHandler): Promise<SubscriptionHandle> {
    if (this.#closed) throw new Error('memory transport is closed');
    const name = `${spec.service}/${spec.name}`;
    let group = this.#groups.get(name);
    if (!group) {
      group = { name, spec, consumers: [], queue: new DeliveryQueue(), nextConsumer: 0 };
      this.#groups.set(name, group);
    }
    const consumer = {
      handler,
      concurrency: Math.max(1, spec.concurrency),
      inFlight: new Set<Promise<void>>(),
    };
    group.consumers.push(consumer);
    this.#schedulePump(group);
    const owner = group;
    return {
      stop: async () => {
        owner.consumers = owner.consumers.filter((other) => other !== consumer);
        await Promise.all(consumer.inFlight);
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const inFlight = [...this.#groups.values()].flatMap((group) =>
      group.consumers.flatMap((c) => [...c.inFlight]),
    );
    for (const group of this.#groups.values()) {
      group.consumers = [];
      if (group.timer !== undefined) this.clock.clearTimer(group.timer);
    }
    await Promise.all(inFlight);
  }

  /** Deliveries waiting (due or not) and running, across all groups. */
  get pending(): number {
    let count = 0;
    for (const group of this.#groups.values()) {
      count += group.queue.length;
      for (const consumer of group.consumers) count += consumer.inFlight.size;
    }
    return count;
  }

  /** Resolves when no delivery is running and none is due now (future redeliveries may remain). */
  idle(): Promise<void> {
    if (!this.#busy()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Run until no delivery is waiting or running. With a VirtualClock, virtual time jumps to each next timer
   * (redeliveries, handler timeouts, ordering buffers); meant for tests whose handlers do no real I/O.
   * With the system clock it simply waits. Throws if work remains after `maxSteps` rounds.
   */
  async drain(maxSteps = 10_000): Promise<void> {
    const virtual = this.clock instanceof VirtualClock ? this.clock : undefined;
    for (let step = 0; step < maxSteps; step++) {
      await flushAsync();
      if (this.pending === 0) return;
      if (virtual) {
        if (!this.#busy() && !(await virtual.advanceToNext())) break;
        if (this.#busy() && virtual.pendingTimers() > 0) await virtual.advanceToNext();
      } else {
        // Not busy but pending means redeliveries are scheduled on the real clock: wait for them rather than
        // spinning through the step budget in a few milliseconds.
        await (this.#busy() ? Promise.race([this.idle(), sleep(systemClock, 5)]) : sleep(systemClock, 5));
      }
    }
    throw new Error(`memory transport did not drain: ${this.pending} deliveries still pending`);
  }

  /** @internal Carry out an outcome for a delivery; used by the dispatcher. */
  settle(group: Group, pending: PendingDelivery, outcome: Outcome, crashed: boolean): void {
    const eventId = pending.stored.message.eventId;
    this.outcomes.push({ subscription: group.name, eventId, attempt: pending.attempt, outcome, crashed });
    const now = this.clock.now();
    if (crashed) {
      this.#logFault('crash-before-ack', eventId, group.name);
      this.#enqueue(group, {
        ...pending,
        attempt: pending.attempt + 1,
        dueAt: now + this.#redeliveryDelay(),
      });
    } else if (outcome.kind === 'retry') {
      this.#enqueue(group, {
        ...pending,
        // A wait is not a failure: the next delivery keeps the attempt number.
        attempt: outcome.wait ? pending.attempt : pending.attempt + 1,
        dueAt: now + Math.max(0, outcome.delayMs),
      });
    } else if (outcome.kind === 'dead-letter') {
      this.#deadLetter(group, pending, outcome);
    }
    this.#schedulePump(group);
    this.#notifyIdle();
  }

  /** @internal */
  faultContext(): FaultContext {
    return this.#faultContext();
  }

  /** @internal */
  redeliveryDelayMs(): number {
    return this.#redeliveryDelay();
  }

  /** @internal */
  get faults(): FaultInjector | undefined {
    return this.#options.faults;
  }

  #route(stored: StoredMessage, withFaults: boolean, headers?: Record<string, string>): void {
    if (this.#options.recordPublished ?? true) this.published.push(stored.message);
    const now = this.clock.now();
    for (const group of this.#groups.values()) {
      if (!routes(stored.message.destination, group.spec.source)) continue;
      const fault = withFaults
        ? this.#options.faults?.route?.(stored.message, group.name, this.#faultContext())
        : undefined;
      const base = { stored, attempt: 1, dueAt: now, ...(headers ? { headers } : {}) };
      if (fault?.kind === 'drop') {
        this.#logFault('drop', stored.message.eventId, group.name);
        continue;
      }
      if (fault?.kind === 'delay') {
        this.#logFault('delay', stored.message.eventId, group.name);
        this.#enqueue(group, { ...base, dueAt: now + fault.ms });
      } else {
        this.#enqueue(group, base);
      }
      if (fault?.kind === 'duplicate') {
        this.#logFault('duplicate', stored.message.eventId, group.name);
        for (let copy = 0; copy < fault.copies; copy++) this.#enqueue(group, base);
      }
      this.#schedulePump(group);
    }
  }

  #deadLetter(
    group: Group,
    pending: PendingDelivery,
    outcome: Extract<Outcome, { kind: 'dead-letter' }>,
  ): void {
    const dead = deadLetterOf(group, pending, outcome);
    this.deadLetters.push(dead.record);
    this.#route({ id: `${this.#nextId++}-0`, message: dead.message }, false);
  }

  #enqueue(group: Group, item: Omit<PendingDelivery, 'seq'>): void {
    group.queue.push({ ...item, seq: this.#nextSeq++ });
  }

  #schedulePump(group: Group): void {
    // Dispatch from a microtask: publishers never run handlers inline, and order stays deterministic.
    queueMicrotask(() => this.#pump(group));
  }

  #pump(group: Group): void {
    const now = this.clock.now();
    for (;;) {
      if (!group.queue.hasDue(now)) break;
      const consumer = pickConsumer(group);
      if (!consumer) break;
      dispatchDelivery(this, group, consumer, group.queue.takeDue(now)!);
    }
    const nextDue = group.queue.nextDueAt();
    if (nextDue !== undefined && nextDue > now && group.consumers.length > 0 && group.timerDue !== nextDue) {
      if (group.timer !== undefined) this.clock.clearTimer(group.timer);
      group.timerDue = nextDue;
      group.timer = this.clock.setTimer(() => {
        group.timer = undefined;
        group.timerDue = undefined;
        this.#pump(group);
      }, nextDue - now);
    }
    this.#notifyIdle();
  }

  #busy(): boolean {
    const now = this.clock.now();
    for (const group of this.#groups.values()) {
      if (group.consumers.some((consumer) => consumer.inFlight.size > 0)) return true;
      if (group.consumers.length > 0 && group.queue.hasDue(now)) return true;
    }
    return false;
  }

  #notifyIdle(): void {
    if (this.#idleWaiters.length === 0 || this.#busy()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #faultContext(): FaultContext {
    return { random: this.#random, now: this.clock.now() };
  }

  #redeliveryDelay(): number {
    return this.#options.redeliveryDelayMs ?? 0;
  }

  #logFault(fault: FaultRecord['fault'], eventId: string, subscription?: string): void {
    this.faultLog.push({ fault, eventId, at: this.clock.now(), ...(subscription ? { subscription } : {}) });
  }
}

function pickConsumer(group: Group) {
  const count = group.consumers.length;
  for (let i = 0; i < count; i++) {
    const consumer = group.consumers[(group.nextConsumer + i) % count]!;
    if (consumer.inFlight.size < consumer.concurrency) {
      group.nextConsumer = (group.nextConsumer + i + 1) % count;
      return consumer;
    }
  }
  return undefined;
}

export type { DeadLetterRecord, OutcomeRecord };
