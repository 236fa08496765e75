/**
 * Publishes batches on one confirm channel: every message of a `publish` call is written, then the call waits
 * for all of their confirms together (per-message callbacks; RabbitMQ acks many at once). A message whose
 * channel or connection is lost before its confirm is sent again on the next channel, so `publish` resolves only
 * when every message is confirmed: at-least-once, possibly duplicated (consumers deduplicate by event id),
 * never lost once confirmed. A nack (the broker refused the message) fails the call without a resend.
 */
import type { ConfirmChannel, RecoveringChannelModel } from 'amqplib';
import type { OutgoingMessage } from '../../transport.ts';
import { declareTopology, TopologyDeclarationError } from './declare.ts';
import { type AmqpDestination, isAmqp } from './plan.ts';
import { publishProperties } from './properties.ts';
import { exchangeForDestination, isDefaultExchange } from './topology.ts';

export interface PublisherOptions {
  /** How long `publish` keeps resending across reconnects before it rejects (30 s). */
  readonly timeoutMs?: number;
  /** Assert each destination exchange once per connection before the first publish to it (true). */
  readonly assertExchanges?: boolean;
}

type SendResult = 'confirmed' | 'nacked' | 'lost' | { readonly unencodable: Error };

/** AMQP 0-9-1 short strings (exchange names, routing keys) hold at most 255 bytes. */
const MAX_SHORT_STRING_BYTES = 255;

const FATAL_CODES = new Set([403, 404, 406]);

export class PublishError extends Error {
  readonly unconfirmed: number;
  constructor(message: string, unconfirmed: number, cause?: unknown) {
    super(message, { cause });
    this.name = 'PublishError';
    this.unconfirmed = unconfirmed;
  }
}

export class ConfirmPublisher {
  readonly #connection: RecoveringChannelModel;
  readonly #timeoutMs: number;
  readonly #assertExchanges: boolean;
  #channel: Promise<ConfirmChannel> | undefined;
  #open: ConfirmChannel | undefined;
  #closed = false;
  #declared = new Set<string>();

  constructor(connection: RecoveringChannelModel, options: PublisherOptions = {}) {
    this.#connection = connection;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#assertExchanges = options.assertExchanges ?? true;
    // Exchanges are re-asserted on a new connection: the broker may have been reset in between.
    connection.on('connect', () => {
      this.#declared = new Set();
    });
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    const destinations = messages.map((m) => amqpDestination(m));
    const deadline = Date.now() + this.#timeoutMs;
    let pending = messages.map((message, i) => ({ message, destination: destinations[i]! }));
    let lastError: unknown;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await sleep(Math.min(50 * 2 ** round, 1000));
      if (Date.now() > deadline) {
        throw new PublishError(
          `${pending.length} message(s) not confirmed within ${this.#timeoutMs} ms`,
          pending.length,
          lastError,
        );
      }
      let channel: ConfirmChannel;
      try {
        channel = await beforeDeadline(this.#getChannel(), deadline);
        if (this.#assertExchanges) {
          await beforeDeadline(this.#declareExchanges(pending.map((p) => p.destination)), deadline);
        }
      } catch (error) {
        // Access refused, not found, precondition failed: resending cannot help.
        if (error instanceof TopologyDeclarationError && FATAL_CODES.has(error.code ?? 0)) throw error;
        lastError = error;
        continue;
      }
      let results: SendResult[];
      try {
        // A blocked connection (broker memory or disk alarm) delays confirms indefinitely: the deadline still holds.
        results = await beforeDeadline(sendBatch(channel, pending), deadline);
      } catch (error) {
        throw new PublishError(
          `${pending.length} message(s) not confirmed within ${this.#timeoutMs} ms`,
          pending.length,
          error,
        );
      }
      const unencodable = results.find((r) => typeof r === 'object');
      if (unencodable) {
        // Resending the same bytes cannot help: fail now rather than after publishTimeoutMs.
        const count = results.filter((r) => typeof r === 'object').length;
        throw new PublishError(
          `${count} message(s) cannot be encoded for AMQP: ${unencodable.unencodable.message}`,
          count,
          unencodable.unencodable,
        );
      }
      const nacked = results.filter((r) => r === 'nacked').length;
      if (nacked > 0) throw new PublishError(`the broker refused (nacked) ${nacked} message(s)`, nacked);
      pending = pending.filter((_, i) => results[i] !== 'confirmed');
      lastError = new Error('channel closed before confirm');
    }
  }

  /**
   * Opens the confirm channel and asserts the exchanges of `destinations` now, as `publish` would on its first
   * call, so a service's first events do not wait for them (a load run's clock starts after this).
   */
  async prepare(destinations: readonly AmqpDestination[]): Promise<void> {
    await this.#getChannel();
    if (this.#assertExchanges) await this.#declareExchanges(destinations);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#channel = undefined;
    // A channel still waiting for a connection is not awaited: closing the connection ends that wait.
    await this.#open?.close().catch(() => {});
  }

  #getChannel(): Promise<ConfirmChannel> {
    if (this.#channel) return this.#channel;
    const opening = this.#connection.createConfirmChannel().then((channel) => {
      channel.on('error', () => {});
      channel.on('close', () => {
        if (this.#channel === opening) this.#channel = undefined;
        if (this.#open === channel) this.#open = undefined;
      });
      if (this.#closed) void channel.close().catch(() => {});
      else this.#open = channel;
      return channel;
    });
    opening.catch(() => {
      if (this.#channel === opening) this.#channel = undefined;
    });
    this.#channel = opening;
    return opening;
  }

  async #declareExchanges(destinations: readonly AmqpDestination[]): Promise<void> {
    const missing = new Map<string, AmqpDestination>();
    for (const d of destinations)
      if (!isDefaultExchange(d) && !this.#declared.has(d.exchange)) missing.set(d.exchange, d);
    if (missing.size === 0) return;
    const exchanges = [...missing.values()].map(exchangeForDestination);
    await declareTopology(this.#connection, { exchanges, queues: [], bindings: [] });
    for (const name of missing.keys()) this.#declared.add(name);
  }
}

/** Writes the whole batch, then settles once every message has its confirm (or was lost with the channel). */
async function sendBatch(
  channel: ConfirmChannel,
  batch: readonly { message: OutgoingMessage; destination: AmqpDestination }[],
): Promise<SendResult[]> {
  if (batch.length === 0) return [];
  const results: SendResult[] = new Array(batch.length);
  let remaining = batch.length;
  const { promise: settled, resolve } = Promise.withResolvers<SendResult[]>();
  const settle = (index: number, result: SendResult) => {
    results[index] = result;
    if (--remaining === 0) resolve(results);
  };
  for (let i = 0; i < batch.length; i++) {
    const { message, destination } = batch[i]!;
    let writable = true;
    try {
      writable = channel.publish(
        destination.exchange,
        destination.routingKey,
        message.body,
        publishProperties(message),
        (err) => settle(i, err === null || err === undefined ? 'confirmed' : isNack(err) ? 'nacked' : 'lost'),
      );
    } catch (error) {
      // amqplib encodes before it writes: a closed channel means resend on the next one, anything else means
      // this message cannot be encoded at all (nothing was sent).
      const closed = error instanceof Error && error.name === 'IllegalOperationError';
      settle(i, closed ? 'lost' : { unencodable: error instanceof Error ? error : new Error(String(error)) });
    }
    if (!writable) await drainOrClose(channel);
  }
  return settled;
}

function amqpDestination(message: OutgoingMessage): AmqpDestination {
  const destination = message.destination;
  if (!isAmqp(destination)) {
    throw new PublishError(
      `event ${message.eventId} (${message.eventType}) has a '${destination.kind}' destination; the RabbitMQ transport publishes only to AMQP exchanges`,
      1,
    );
  }
  // Refused at once: amqplib would throw on every resend until publishTimeoutMs (30 s) ran out.
  for (const [what, value] of [
    ['routing key', destination.routingKey],
    ['exchange name', destination.exchange],
  ] as const) {
    const bytes = Buffer.byteLength(value);
    if (bytes > MAX_SHORT_STRING_BYTES) {
      throw new PublishError(
        `event ${message.eventId} (${message.eventType}): the ${what} is ${bytes} bytes, over AMQP's ` +
          `${MAX_SHORT_STRING_BYTES}-byte limit; shorten the values of the address parameters`,
        1,
      );
    }
  }
  return destination;
}

function isNack(error: unknown): boolean {
  return error instanceof Error && error.message === 'message nacked';
}

/** Waits for the socket buffer to drain; a close also ends the wait (the unconfirmed messages are resent). */
function drainOrClose(channel: ConfirmChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      channel.off('drain', done);
      channel.off('close', done);
      resolve();
    };
    channel.once('drain', done);
    channel.once('close', done);
  });
}

function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('no connection to the broker')),
      Math.max(0, deadline - Date.now()),
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
