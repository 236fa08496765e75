/**
 * One running subscription: a confirm channel per connection, the subscription's topology asserted, prefetch from
 * the QueueSpec, and each delivery acknowledged only after its outcome is carried out:
 *   ack         -> basic.ack
 *   retry       -> copy to the delay queue for the delay (confirmed), then ack
 *   dead-letter -> copy to the dead-letter exchange with reason, attempts and original routing key (confirmed), then ack
 * A lost channel or connection drops the unacknowledged deliveries back to the queue and the loop opens a new
 * channel (waiting for the reconnect); outcomes of deliveries from the lost channel are discarded, never applied to
 * the new one, because the broker redelivers those messages.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ChannelModel, ConfirmChannel, ConsumeMessage, RecoveringChannelModel } from 'amqplib';
import type { SubscriptionSpec } from '../../spec.ts';
import type { DeliveryHandler, Outcome, SubscriptionHandle } from '../../transport.ts';
import type { RabbitTransportEvent } from './connection.ts';
import { declareTopology } from './declare.ts';
import { toDelivery, undecodableProperties } from './delivery.ts';
import { afterFailedOutcome, applyOutcome, fallbackOutcome } from './outcomes.ts';
import { type SubscriptionPlan, subscriptionPlan } from './plan.ts';
import { checkAndRepairQueues } from './queue-check.ts';
import { safely, withTimeout } from './settle.ts';
import { topologyFromSpecs } from './topology.ts';

/** How long a message whose outcome could not be carried out is held before it goes back to the queue. */
const REQUEUE_PAUSE_MS = 1_000;
/**
 * The longest copies wait for the queue check (a check and a repair take ~7 s on a broker that answers); past it
 * they are sent anyway, as without the check.
 */
const CHECK_BOUND_MS = 30_000;

export interface SubscriptionOptions {
  readonly declare: boolean;
  readonly stopTimeoutMs: number;
  readonly onEvent: (event: RabbitTransportEvent) => void;
  /** Opens a plain connection to the same broker and vhost, for the check of the delay and dead-letter queues. */
  readonly connect: () => Promise<ChannelModel>;
}

interface Session {
  readonly channel: ConfirmChannel;
  consumerTag: string;
  readonly closed: Promise<void>;
  readonly waiting: ConsumeMessage[];
  readonly inFlight: Set<Promise<void>>;
  /** Settles once the delay and dead-letter queues are known to have a leader (or were declared again). */
  readonly queuesChecked: Promise<void>;
  open: boolean;
}

export class RabbitSubscription implements SubscriptionHandle {
  readonly #connection: RecoveringChannelModel;
  readonly #spec: SubscriptionSpec;
  readonly #plan: SubscriptionPlan;
  readonly #handler: DeliveryHandler;
  readonly #options: SubscriptionOptions;
  readonly #concurrency: number;
  #session: Session | undefined;
  #stopping = false;
  #loop: Promise<void> = Promise.resolve();
  /** Resolves when stop() begins: ends waits for a reconnect that may never come. */
  readonly #stopRequested: Promise<'stop'>;
  #requestStop: () => void = () => {};

  constructor(
    connection: RecoveringChannelModel,
    spec: SubscriptionSpec,
    handler: DeliveryHandler,
    options: SubscriptionOptions,
  ) {
    this.#connection = connection;
    this.#spec = spec;
    this.#plan = subscriptionPlan(spec);
    this.#handler = handler;
    this.#options = options;
    this.#concurrency = Math.max(1, Math.min(spec.concurrency, this.#plan.queue.prefetch));
    this.#stopRequested = new Promise((resolve) => {
      this.#requestStop = () => resolve('stop');
    });
  }

  /** Resolves once consuming; rejects when the first session cannot start (bad topology, no broker). */
  async start(): Promise<void> {
    const first = await this.#openSession();
    this.#loop = this.#keepAlive(first);
  }

  async stop(): Promise<void> {
    if (this.#stopping) return this.#loop;
    this.#stopping = true;
    this.#requestStop();
    const session = this.#session;
    if (session?.open) {
      await session.channel.cancel(session.consumerTag).catch(() => {});
      // Deliveries that never reached the handler go straight back to the queue.
      for (const message of session.waiting.splice(0))
        safely(() => session.channel.nack(message, false, true));
      await withTimeout(Promise.allSettled([...session.inFlight]), this.#options.stopTimeoutMs);
      await session.channel.close().catch(() => {});
    }
    await this.#loop;
  }

  async #keepAlive(first: Session): Promise<void> {
    let session = first;
    let backoffMs = 100;
    while (!this.#stopping) {
      await session.closed;
      if (this.#stopping) return;
      for (;;) {
        if ((await Promise.race([sleep(backoffMs), this.#stopRequested])) === 'stop') return;
        try {
          const opening = this.#openSession();
          if ((await Promise.race([opening, this.#stopRequested])) === 'stop') {
            // Stopped while waiting for the broker: a session that opens later is closed at once.
            opening.then((late) => late.channel.close()).catch(() => {});
            return;
          }
          session = await opening;
          backoffMs = 100;
          break;
        } catch (error) {
          backoffMs = Math.min(backoffMs * 2, 5000);
          this.#options.onEvent({
            type: 'subscription-restarting',
            subscription: this.#spec.name,
            error: errorText(error),
          });
        }
      }
    }
  }

  async #openSession(): Promise<Session> {
    const topology = topologyFromSpecs({ subscriptions: [this.#spec] });
    const declare = (connection: ChannelModel | RecoveringChannelModel) =>
      declareTopology(connection, topology, { onEvent: this.#options.onEvent });
    if (this.#options.declare) await declare(this.#connection);
    // Every session may follow a broker crash: before a copy goes to a delay or dead-letter queue, make sure the
    // queue has a leader (queue-check.ts). Deliveries are handled meanwhile; only their copies wait.
    const queuesChecked = withTimeout(
      checkAndRepairQueues(
        [...this.#plan.retryLevels.map((level) => level.queue), this.#plan.deadLetterQueue],
        {
          connect: this.#options.connect,
          redeclare: this.#options.declare ? declare : undefined,
          onEvent: this.#options.onEvent,
        },
      ),
      CHECK_BOUND_MS,
    );
    const channel = await this.#connection.createConfirmChannel();
    channel.on('error', () => {});
    const closed = new Promise<void>((resolve) => channel.once('close', () => resolve()));
    const session: Session = {
      channel,
      consumerTag: '',
      closed,
      waiting: [],
      inFlight: new Set(),
      queuesChecked,
      open: true,
    };
    void closed.then(() => {
      session.open = false;
      session.waiting.length = 0;
    });
    try {
      await channel.prefetch(this.#plan.queue.prefetch);
      const consume = await channel.consume(this.#plan.queue.name, (msg) => this.#receive(session, msg));
      session.consumerTag = consume.consumerTag;
    } catch (error) {
      await channel.close().catch(() => {});
      throw error;
    }
    this.#session = session;
    return session;
  }

  #receive(session: Session, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer (queue deleted): reopen, which re-declares the queue.
      void session.channel.close().catch(() => {});
      return;
    }
    if (this.#stopping) {
      safely(() => session.channel.nack(message, false, true));
      return;
    }
    session.waiting.push(message);
    this.#pump(session);
  }

  #pump(session: Session): void {
    while (session.inFlight.size < this.#concurrency && session.waiting.length > 0) {
      const message = session.waiting.shift()!;
      const work = this.#process(session, message).finally(() => {
        session.inFlight.delete(work);
        if (!this.#stopping) this.#pump(session);
      });
      session.inFlight.add(work);
    }
  }

  async #process(session: Session, message: ConsumeMessage): Promise<void> {
    let outcome = await this.#decide(message);
    // Without delay queues (maxRetries 0) a wait has nowhere to wait but here: it must not be dead-lettered as
    // if it had failed, and a requeue would count as a redelivery. It holds its prefetch slot meanwhile.
    while (outcome.kind === 'retry' && outcome.wait && this.#plan.retryLevels.length === 0 && session.open) {
      if ((await Promise.race([sleep(outcome.delayMs), this.#stopRequested])) === 'stop') {
        safely(() => session.channel.nack(message, false, true));
        return;
      }
      outcome = await this.#decide(message);
    }
    if (outcome.kind !== 'ack') await session.queuesChecked;
    if (!session.open) return; // the broker redelivers it on the next channel
    try {
      await applyOutcome({ channel: session.channel, message, plan: this.#plan, spec: this.#spec }, outcome);
    } catch (error) {
      const subscription = this.#spec.name;
      if (afterFailedOutcome(message, error) === 'reject') {
        // Lossless: the broker dead-letters the original, unchanged, through the queue's dead-letter exchange.
        safely(() => session.channel.nack(message, false, false));
        this.#options.onEvent({
          type: 'rejected-to-dead-letter-exchange',
          subscription,
          error: errorText(error),
        });
        return;
      }
      // The copy was not confirmed: give the message back rather than lose it, after a pause, so a broker that
      // keeps refusing does not turn into a redelivery loop.
      await Promise.race([sleep(REQUEUE_PAUSE_MS), this.#stopRequested]);
      safely(() => session.channel.nack(message, false, true));
      this.#options.onEvent({ type: 'outcome-lost', subscription, error: errorText(error) });
    }
  }

  /** The pipeline's outcome; a message whose properties could not be decoded never reaches it. */
  async #decide(message: ConsumeMessage): Promise<Outcome> {
    const undecodable = undecodableProperties(message);
    if (undecodable !== undefined) {
      return {
        kind: 'dead-letter',
        reason: 'decode-error',
        error: `the message's AMQP properties could not be decoded (${undecodable}); this copy keeps the body only`,
      };
    }
    try {
      return await this.#handler(toDelivery(message, this.#plan));
    } catch (error) {
      return fallbackOutcome({ message, plan: this.#plan, spec: this.#spec }, error);
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<'slept'> {
  return delay(ms, 'slept');
}
