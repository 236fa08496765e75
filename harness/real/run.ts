/**
 * One run of a schedule on real brokers. The parent publishes (as the service that sends the event would),
 * applies consumer steps to a consumer host process (arm a crash, arm a connection drop, start a new process),
 * and merges what the host records with what it did itself into one history, on the run's wall clock.
 *
 * Real time cannot be run "until nothing can happen" the way the memory world can. A run is settled when every
 * message the broker holds for the subscription has had its outcome (acked or dead-lettered) and no delivery is
 * in flight, or, failing that, when nothing has happened for longer than the longest wait the scaled contract
 * allows (a retry delay, the ordering buffer) plus the broker's reclaim of a dead consumer's deliveries.
 */
import {
  type CompiledValidator,
  type OutgoingMessage,
  prepareEvent,
  type Runtime,
  type Transport,
} from 'eventwire/runtime';
import type {
  BrokerStep,
  ConsumerId,
  ConsumerStep,
  EventRef,
  FaultKind,
  HistoryEvent,
  Isolation,
  PlannedEvent,
  Quiescence,
  RunDriver,
  RunPlan,
} from '../engine/types.ts';
import type { HostProcess } from './host-process.ts';
import type { DistributiveOmit, FromHost, HostEvent, HostRunConfig } from './protocol.ts';
import { wallNow } from './protocol.ts';
import type { RealSuite } from './suite.ts';

const acceptAll = Object.assign((_data: unknown): _data is unknown => true, {
  errors: null,
}) as CompiledValidator<unknown>;

interface Published {
  readonly eventId: string;
  readonly message: OutgoingMessage;
  copies: number;
}

export class RealRun implements RunDriver {
  readonly #suite: RealSuite;
  readonly #plan: RunPlan;
  readonly #isolation: Isolation;
  readonly #publisher: Transport;
  readonly #history: HistoryEvent[] = [];
  readonly #startWall = wallNow();
  readonly #published = new Map<EventRef, Published>();
  readonly #refs = new Map<string, EventRef>();
  /** Broker copies per event id (publishes the broker has, or may have). */
  readonly #stored = new Map<string, number>();
  readonly #publishRuntime: Runtime;
  #host: HostProcess | undefined;
  #consumer: ConsumerId = 0;
  #lastActivity = wallNow();
  #pendingDrop: Promise<void> | undefined;
  readonly #redelivered = new Set<EventRef>();

  constructor(suite: RealSuite, plan: RunPlan, isolation: Isolation, publisher: Transport) {
    this.#suite = suite;
    this.#plan = plan;
    this.#isolation = isolation;
    this.#publisher = publisher;
    this.#publishRuntime = {
      service: { name: 'eventwire-test', version: '1.0.0' },
      transport: publisher,
      idempotency: undefined as never,
    };
  }

  async start(): Promise<void> {
    await this.#startConsumer();
  }

  /** In the order things happened: host records arrive a little after they were stamped. */
  history(): readonly HistoryEvent[] {
    return [...this.#history].sort((a, b) => a.at - b.at);
  }

  async burst(steps: readonly BrokerStep[]): Promise<void> {
    const sends: {
      ref: EventRef;
      message: OutgoingMessage;
      copy: number;
      outcome: 'confirmed' | 'unknown';
      publish: boolean;
      fault?: FaultKind;
    }[] = [];
    for (const step of steps) {
      switch (step.kind) {
        case 'publish':
        case 'invalid':
        case 'lose-confirm': {
          const planned = this.#planned(step.event);
          const message = this.#prepare(planned);
          const stored = step.kind !== 'lose-confirm' || step.stored;
          if (planned.slow && stored) this.#suite.slowFirstRead(message.eventId);
          sends.push({
            ref: step.event,
            message,
            copy: 0,
            outcome: step.kind === 'lose-confirm' ? 'unknown' : 'confirmed',
            publish: stored,
            ...(step.kind === 'invalid' ? { fault: 'invalid-payload' as const } : {}),
            ...(step.kind === 'lose-confirm' ? { fault: 'lost-confirm' as const } : {}),
          });
          break;
        }
        case 'duplicate': {
          // A broker redelivery is never scheduled here (the mode does not support it): a publisher retry.
          const published = this.#published.get(step.event);
          if (!published || step.via !== 'publisher-retry') break;
          published.copies++;
          sends.push({
            ref: step.event,
            message: published.message,
            copy: published.copies,
            outcome: 'confirmed',
            publish: true,
            fault: 'duplicate',
          });
          break;
        }
        case 'reorder': {
          // Within this burst, the later publish goes first.
          const from = sends.findIndex((send) => send.ref === step.event && send.copy === 0);
          const at = sends.findIndex((send) => send.ref === step.before && send.copy === 0);
          if (from > at && at !== -1 && sends[at]!.publish && sends[from]!.publish) {
            const [moved] = sends.splice(from, 1);
            sends.splice(at, 0, moved!);
            this.#fault('reorder', step.event);
          }
          break;
        }
      }
    }
    const host = this.#liveHost();
    const events: HostEvent[] = sends
      .filter((send) => send.copy === 0)
      .map((send) => this.#hostEvent(send.ref));
    if (host) {
      await host.request({ type: 'events', events });
      await host.request({ type: 'hold' });
    }
    try {
      for (const send of sends) {
        let outcome: 'confirmed' | 'unknown' | 'failed' = send.outcome;
        if (send.publish) {
          this.#stored.set(send.message.eventId, (this.#stored.get(send.message.eventId) ?? 0) + 1);
          try {
            await this.#publisher.publish([send.message]);
          } catch {
            if (outcome === 'confirmed') outcome = 'failed';
          }
        }
        this.#record({
          type: 'published',
          eventId: send.message.eventId,
          event: send.ref,
          outcome,
          copy: send.copy,
        });
        if (send.fault) this.#fault(send.fault, send.ref);
      }
    } finally {
      if (host?.alive) await host.request({ type: 'release' }).catch(() => undefined);
    }
  }

  /**
   * Dapr: the sidecar's component claimed one of the run's events again on its own (its delivery chain outlived
   * processingTimeout): a second chain delivers it alongside the first (dapr-reads.ts).
   */
  brokerRedelivered(eventId: string): void {
    const ref = this.#refs.get(eventId);
    if (!ref || this.#redelivered.has(ref)) return;
    this.#redelivered.add(ref);
    this.#fault('redelivery', ref);
  }

  async consumer(step: ConsumerStep): Promise<void> {
    const host = this.#liveHost();
    switch (step.kind) {
      case 'crash':
        await host?.request({ type: 'arm-crash', point: step.point }).catch(() => undefined);
        return;
      case 'drop-connection':
        await host?.request({ type: 'arm-drop' }).catch(() => undefined);
        return;
      case 'restart':
        if (!host) await this.#startConsumer();
        return;
      case 'broker-fault':
        await this.#suite.brokerFault(step.fault);
        this.#fault(step.fault, undefined);
        return;
    }
  }

  async settle(): Promise<void> {
    await this.#settle();
  }

  async quiesce(): Promise<Quiescence> {
    let quiet = await this.#settle();
    // A supervisor restarts a consumer that died, as often as it dies (a crash armed late lands late).
    for (let restarts = 0; !this.#liveHost() && restarts < 10; restarts++) {
      await this.#startConsumer();
      quiet = await this.#settle();
    }
    const pending = [...this.#unfinished()].map((eventId) => {
      const event = this.#refs.get(eventId);
      return { eventId, ...(event ? { event } : {}), state: 'neither acknowledged nor dead-lettered' };
    });
    return { quiet: quiet && pending.length === 0, pending, at: wallNow() - this.#startWall };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const host = this.#host;
    this.#host = undefined;
    if (host) {
      host.listener = undefined;
      await this.#suite.returnHost(host);
    }
    await this.#suite.cleanUp(this.#isolation, this.#publisher);
  }

  // --- consumer processes ---------------------------------------------------------------------------------

  #liveHost(): HostProcess | undefined {
    return this.#host?.alive ? this.#host : undefined;
  }

  async #startConsumer(): Promise<void> {
    const host = await this.#suite.takeHost();
    this.#consumer++;
    const consumer = this.#consumer;
    if (consumer > 1) this.#record({ type: 'restarted', consumer });
    host.listener = (message) => this.#onHost(host, message);
    this.#host = host;
    const config: HostRunConfig = {
      ...this.#suite.runConfig(this.#plan),
      consumer,
      events: [...this.#published.keys()].map((ref) => this.#hostEvent(ref)),
    };
    const started = await host.request({ type: 'start', config });
    if (started.type === 'started' && started.appUrl) await this.#suite.connectApp(started.appUrl);
    this.#lastActivity = wallNow();
  }

  #onHost(host: HostProcess, message: Extract<FromHost, { type: 'record' | 'crash' | 'drop' }>): void {
    this.#lastActivity = wallNow();
    switch (message.type) {
      case 'record': {
        const { wall, ...record } = message.record;
        this.#history.push({ ...record, at: wall - this.#startWall } as HistoryEvent);
        return;
      }
      case 'crash': {
        const { wall, ...record } = message.record;
        this.#history.push({ ...record, at: wall - this.#startWall } as HistoryEvent);
        if (record.type === 'crashed') this.#fault(`crash-${record.point}`, record.event);
        void host.kill();
        return;
      }
      case 'drop': {
        this.#record({ type: 'connection-dropped', consumer: this.#consumer });
        this.#fault('connection-drop', this.#refs.get(message.eventId));
        this.#pendingDrop = this.#suite.dropConsumerConnections().finally(() => {
          host.tell({ type: 'dropped' });
          this.#pendingDrop = undefined;
        });
        return;
      }
    }
  }

  // --- settling -------------------------------------------------------------------------------------------

  /** Event ids with more broker copies than outcomes. */
  #unfinished(): Set<string> {
    const outcomes = new Map<string, number>();
    for (const record of this.#history) {
      if (record.type === 'acked' || record.type === 'dead-lettered')
        outcomes.set(record.eventId, (outcomes.get(record.eventId) ?? 0) + 1);
    }
    const open = new Set<string>();
    for (const [eventId, copies] of this.#stored)
      if ((outcomes.get(eventId) ?? 0) < copies) open.add(eventId);
    return open;
  }

  /** Deliveries of the live consumer handed over and not yet answered. */
  #inFlight(): number {
    const open = new Set<string>();
    for (const record of this.#history) {
      if (record.type === 'delivered' && record.consumer === this.#consumer) open.add(record.delivery);
      if (
        (record.type === 'acked' || record.type === 'retried' || record.type === 'dead-lettered') &&
        record.delivery
      )
        open.delete(record.delivery);
    }
    return open.size;
  }

  async #settle(): Promise<boolean> {
    const idle = this.#suite.idleWindowMs;
    const horizon = wallNow() + this.#suite.horizonMs;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      if (this.#pendingDrop) await this.#pendingDrop;
      const now = wallNow();
      const quietFor = now - this.#lastActivity;
      const host = this.#liveHost();
      if (!host) {
        // A dead consumer does nothing more; give its last records a moment to arrive.
        if (quietFor > 50) return true;
        continue;
      }
      if (quietFor > 40 && this.#unfinished().size === 0 && this.#inFlight() === 0) return true;
      if (quietFor > idle) return true;
      if (now > horizon) return false;
    }
  }

  // --- publishing and records -----------------------------------------------------------------------------

  #prepare(planned: PlannedEvent): OutgoingMessage {
    const prepared = prepareEvent(this.#publishRuntime, this.#suite.publication, acceptAll, planned.payload);
    const message = prepared.messages[0]!;
    this.#refs.set(message.eventId, planned.ref);
    this.#published.set(planned.ref, { eventId: message.eventId, message, copies: 0 });
    return message;
  }

  #hostEvent(ref: EventRef): HostEvent {
    const planned = this.#planned(ref);
    const eventId = this.#published.get(ref)!.eventId;
    const runs = this.#history.filter(
      (record) => record.type === 'handler-started' && record.eventId === eventId,
    ).length;
    return {
      eventId,
      ref,
      failures: Number.isFinite(planned.failures) ? planned.failures : -1,
      slow: planned.slow,
      runs,
    };
  }

  #planned(ref: EventRef): PlannedEvent {
    const planned = this.#plan.events.get(ref);
    if (!planned) throw new Error(`schedule names ${ref}, which the plan does not define`);
    return planned;
  }

  #fault(fault: FaultKind, event: EventRef | undefined): void {
    const eventId = event ? this.#published.get(event)?.eventId : undefined;
    this.#record({ type: 'fault', fault, ...(event ? { event } : {}), ...(eventId ? { eventId } : {}) });
  }

  #record(entry: DistributiveOmit<HistoryEvent, 'at'>): void {
    this.#lastActivity = wallNow();
    this.#history.push({ ...entry, at: this.#lastActivity - this.#startWall } as HistoryEvent);
  }
}
