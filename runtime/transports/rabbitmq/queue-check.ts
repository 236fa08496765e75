/**
 * Finds the subscription's delay and dead-letter queues that came back from a broker crash without a Raft leader,
 * and declares them again, before the subscription sends a copy there.
 *
 * Why (README.md, "What survives a broker restart"): RabbitMQ 3.10 registers a new quorum queue's Raft member in a
 * file it writes lazily, so a queue declared about a second before the broker is killed comes back as a member
 * with an empty log that never elects a leader. Declaring it again is a no-op (the queue record survived), and a
 * publish to it is neither confirmed nor refused for ~60 s, during which the publishing channel answers nothing:
 * a retry copy sent there holds its original (and the handler slot) for a minute.
 *
 * A queue with a leader answers `basic.consume` at once; one without never does. The check consumes each queue
 * on a connection of its own (a stuck channel crashes its connection when the queue is deleted, so it must not
 * share the transport's), with prefetch 1: a message it receives is returned at once (a delay queue's copy keeps
 * its expiry; the dead-letter queue's count of deliveries grows by one). A queue that does not answer within
 * CHECK_TIMEOUT_MS (channel open included), while a consume on a classic exclusive queue sent 100 ms in is
 * answered (else the whole broker is frozen or dying, and nothing is repaired), is deleted if it reports no
 * message (a leaderless member holds none; a queue that is only slow and reports messages is kept) and declared
 * again with its bindings; the broker deletes a leaderless quorum queue by force after its own ~5 s attempt.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, ChannelModel } from 'amqplib';
import { safely, withTimeout } from './settle.ts';

/** How long a queue may take to answer a consume before it counts as leaderless (an elected one takes ms). */
export const CHECK_TIMEOUT_MS = 2_000;
/** How long the queues may take to answer before the control consume is sent (an elected queue takes ms). */
const CONTROL_AFTER_MS = 100;
/** How long closing a connection with channels the broker does not answer may take before it is left behind. */
const CLOSE_TIMEOUT_MS = 1_000;

export type QueueCheckEvent =
  /** The queue did not answer a consume: declared again (`redeclared`), or kept because it holds messages. */
  { readonly type: 'queue-leaderless'; readonly queue: string; readonly action: 'redeclared' | 'kept' };

export interface QueueCheckOptions {
  /** Opens a plain connection to the transport's broker and vhost. */
  readonly connect: () => Promise<ChannelModel>;
  /** Declares the subscription's topology on `connection` (queues, exchanges, bindings); absent: never repair. */
  readonly redeclare?: ((connection: ChannelModel) => Promise<void>) | undefined;
  readonly onEvent: (event: QueueCheckEvent) => void;
  readonly timeoutMs?: number;
}

/** The queues of `queues` that did not answer a consume in time. */
export async function leaderlessQueues(
  connection: ChannelModel,
  queues: readonly string[],
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<string[]> {
  const answered = await Promise.all(queues.map((queue) => answersConsume(connection, queue, timeoutMs)));
  return queues.filter((_, i) => !answered[i]);
}

/**
 * Checks `queues` and repairs the leaderless ones; never throws (a broker that is away again is the
 * subscription's reconnect to handle, and the next session checks again).
 */
export async function checkAndRepairQueues(
  queues: readonly string[],
  options: QueueCheckOptions,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  let stuck: string[];
  try {
    const probe = await options.connect();
    probe.on('error', () => {});
    const checking = leaderlessQueues(probe, queues, timeoutMs);
    // A broker that answers nothing at all (paused, dying) is not a leaderless queue: once a queue is slow to
    // answer, a consume on a queue without Raft (a classic exclusive one) must answer within the same time, or
    // nothing is repaired. A healthy broker answers every queue before the control is needed.
    const settledEarly = await Promise.race([
      checking.then(() => true),
      sleep(CONTROL_AFTER_MS).then(() => false),
    ]);
    const answers = settledEarly || (await brokerAnswers(probe, timeoutMs - CONTROL_AFTER_MS));
    const unanswered = await checking;
    stuck = answers ? unanswered : [];
    void closeWithin(probe);
  } catch {
    return;
  }
  if (stuck.length === 0) return;
  if (!options.redeclare) {
    for (const queue of stuck) options.onEvent({ type: 'queue-leaderless', queue, action: 'kept' });
    return;
  }
  try {
    const repair = await options.connect();
    repair.on('error', () => {});
    try {
      const deleted = await Promise.all(stuck.map((queue) => deleteIfEmpty(repair, queue)));
      await options.redeclare(repair);
      for (const [i, queue] of stuck.entries())
        options.onEvent({ type: 'queue-leaderless', queue, action: deleted[i] ? 'redeclared' : 'kept' });
    } finally {
      await closeWithin(repair);
    }
  } catch {
    // The broker went away during the repair: the next session checks again.
  }
}

/** Whether the broker declares a classic exclusive queue and answers a consume on it within `timeoutMs`. */
async function brokerAnswers(connection: ChannelModel, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const control = async () => {
    const channel = await connection.createChannel();
    channel.on('error', () => {});
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    return queue;
  };
  try {
    const queue = await withTimeout(control(), timeoutMs);
    return queue !== undefined && (await answersConsume(connection, queue, deadline - Date.now()));
  } catch {
    return false;
  }
}

async function answersConsume(connection: ChannelModel, queue: string, timeoutMs: number): Promise<boolean> {
  let channel: Channel | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([
      (async () => {
        channel = await connection.createChannel();
        channel.on('error', () => {});
        await channel.prefetch(1);
        const opened = channel;
        return opened.consume(queue, (message) => {
          if (message) safely(() => opened.nack(message, false, true));
        });
      })(),
      timedOut,
    ]);
    // Unanswered: the channel (if it opened) stays stuck; the caller closes the whole connection.
    if (answer === 'timeout') return false;
    await channel?.close().catch(() => {}); // cancels the consumer, returns anything unacknowledged
    return true;
  } catch {
    // The queue is gone or refused the consume: not a leaderless queue; the subscription's declaration handles it.
    return true;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Deletes `queue` unless it reports messages; false when it does. Quorum queues refuse `if-empty` (a connection
 * error, NOT_IMPLEMENTED), so the count comes from a passive declare first, which a leaderless member answers
 * from its own (empty) state.
 */
async function deleteIfEmpty(connection: ChannelModel, queue: string): Promise<boolean> {
  const channel = await connection.createChannel();
  channel.on('error', () => {});
  const { messageCount } = await channel.checkQueue(queue);
  if (messageCount > 0) {
    await channel.close().catch(() => {});
    return false;
  }
  await channel.deleteQueue(queue);
  await channel.close().catch(() => {});
  return true;
}

function closeWithin(connection: ChannelModel): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
    connection
      .close()
      .catch(() => {})
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}
