/**
 * One AMQP connection per transport, re-established with backoff by amqplib's recovery after any loss. Channels
 * do not survive a reconnect: the publisher and each subscription open theirs through `createConfirmChannel`,
 * which waits for the next connection while the broker is away.
 */
import { type ChannelModel, connect, type RecoveringChannelModel } from 'amqplib';
import { guardPropertyDecoding } from './frame-guard.ts';
import type { QueueCheckEvent } from './queue-check.ts';

export const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

export interface ReconnectOptions {
  /** First reconnect delay (100 ms); doubles per attempt with 20% jitter up to `maxDelayMs` (10 s). */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Attempts before the first connection gives up (10), so a wrong URL fails start-up instead of hanging. */
  readonly initialMaxRetries?: number;
}

export type RabbitTransportEvent =
  | { readonly type: 'connected' }
  | { readonly type: 'disconnected'; readonly error: string }
  | { readonly type: 'reconnect-scheduled'; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'blocked'; readonly reason: string }
  | { readonly type: 'unblocked' }
  | { readonly type: 'subscription-restarting'; readonly subscription: string; readonly error: string }
  | { readonly type: 'outcome-lost'; readonly subscription: string; readonly error: string }
  /** The outcome could not be carried out and the message was redelivered too often: rejected to the DLX. */
  | {
      readonly type: 'rejected-to-dead-letter-exchange';
      readonly subscription: string;
      readonly error: string;
    }
  /** A queue declared by an earlier version has no `x-delivery-limit`; the transport's own bound applies. */
  | { readonly type: 'queue-without-delivery-limit'; readonly queue: string }
  /** A delay or dead-letter queue without a Raft leader after a broker crash (queue-check.ts). */
  | QueueCheckEvent
  /** amqplib's internals changed: messages with undecodable properties would drop the connection again. */
  | { readonly type: 'frame-guard-unavailable' };

export interface ConnectionOptions {
  readonly url?: string;
  /** Overrides the URL's virtual host. */
  readonly vhost?: string;
  readonly heartbeatSeconds?: number;
  /** Shown in the broker's connection list (`rabbitmqctl list_connections client_properties`). */
  readonly connectionName?: string;
  readonly reconnect?: ReconnectOptions;
  readonly onEvent?: (event: RabbitTransportEvent) => void;
}

export function resolveUrl(options: Pick<ConnectionOptions, 'url' | 'vhost'>): string {
  const url = new URL(options.url ?? process.env.AMQP_URL ?? DEFAULT_AMQP_URL);
  if (options.vhost !== undefined) url.pathname = `/${encodeURIComponent(options.vhost)}`;
  return url.toString();
}

/** The vhost a URL connects to: the path, URL-decoded; `/` when the path is empty. */
export function vhostOfUrl(url: string): string {
  const path = new URL(url).pathname;
  return path === '' || path === '/' ? '/' : decodeURIComponent(path.slice(1));
}

export async function openRecoveringConnection(options: ConnectionOptions): Promise<RecoveringChannelModel> {
  const emit = options.onEvent ?? (() => {});
  const reconnect = options.reconnect ?? {};
  const url = new URL(resolveUrl(options));
  if (options.heartbeatSeconds !== undefined)
    url.searchParams.set('heartbeat', String(options.heartbeatSeconds));
  const model = await connect(url.toString(), {
    clientProperties: { connection_name: options.connectionName ?? 'eventwire' },
    // TCP_NODELAY, as RabbitMQ's own clients set it: with Nagle's algorithm a publish written while the previous
    // one is unacknowledged waits for the broker's delayed ACK (40 ms on Linux), which a publisher confirm then
    // waits for too (measured: confirm p50 29 ms with Nagle, 6 ms without, quorum queue at 25 events/s).
    noDelay: true,
    recovery: {
      initialDelay: reconnect.initialDelayMs ?? 100,
      maxDelay: reconnect.maxDelayMs ?? 10_000,
      initialMaxRetries: reconnect.initialMaxRetries ?? 10,
      waitForConnect: false,
      // Every new connection gets the guard, so a message with undecodable properties cannot drop it.
      setup: (connected: ChannelModel) => {
        if (!guardPropertyDecoding(connected.connection)) emit({ type: 'frame-guard-unavailable' });
      },
    },
  });
  // Listeners go on before the first attempt (waitForConnect: false): an 'error' without a listener would crash
  // the process, and a connection-level error is always followed by 'disconnect' and a reconnect.
  model.on('error', () => {});
  model.on('connect', () => emit({ type: 'connected' }));
  model.on('disconnect', (error: Error) => emit({ type: 'disconnected', error: error.message }));
  model.on('reconnect-scheduled', (info: { attempt: number; delay: number }) =>
    emit({ type: 'reconnect-scheduled', attempt: info.attempt, delayMs: info.delay }),
  );
  model.on('blocked', (reason: string) => emit({ type: 'blocked', reason }));
  model.on('unblocked', () => emit({ type: 'unblocked' }));
  await model.waitForConnect();
  return model;
}

const SIDE_CONNECT_TIMEOUT_MS = 5_000;

/** One connection without recovery, for short side tasks (the queue check); the caller closes it. */
export function openPlainConnection(options: ConnectionOptions): Promise<ChannelModel> {
  const url = new URL(resolveUrl(options));
  if (options.heartbeatSeconds !== undefined)
    url.searchParams.set('heartbeat', String(options.heartbeatSeconds));
  return connect(url.toString(), {
    clientProperties: { connection_name: `${options.connectionName ?? 'eventwire'} (queue check)` },
    // A broker that accepts the socket and never answers (paused, a proxy cut) must not hold the caller.
    timeout: SIDE_CONNECT_TIMEOUT_MS,
  });
}
