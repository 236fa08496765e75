/**
 * The Dapr transport: publishes through the sidecar's HTTP API and receives through an app server that daprd
 * calls. subscribe() registers a route; daprd reads /dapr/subscribe once, after the app port opens, so the
 * server starts listening shortly after the last subscribe() (listen 'auto') or when listen() is called.
 */
import type { SubscriptionSpec } from '../../spec.ts';
import type { DeliveryHandler, OutgoingMessage, SubscriptionHandle, Transport } from '../../transport.ts';
import { DaprAppServer } from './app-server.ts';
import { type AttemptTracker, memoryAttemptTracker } from './attempts.ts';
import type { DeadLetterMode, DeadLetterRequest } from './deliver.ts';
import { CLOUDEVENTS_CONTENT_TYPE, type ProgrammaticSubscription } from './protocol.ts';
import { publishViaSidecar } from './publisher.ts';
import { RouteBinding } from './route-binding.ts';
import { DaprSidecarClient, type DaprSidecarClientOptions } from './sidecar-client.ts';

export interface DaprTransportOptions extends DaprSidecarClientOptions {
  /** Port daprd calls the app on (daprd --app-port); default env APP_PORT, then 8080; 0 picks a free one. */
  readonly appPort?: number;
  readonly appHost?: string;
  /** 'auto' (default): listen `listenDelayMs` after the last subscribe(); 'manual': only on listen(). */
  readonly listen?: 'auto' | 'manual';
  readonly listenDelayMs?: number;
  /** How dead letters reach the dead-letter topic; see deliver.ts. Default 'app'. */
  readonly deadLetterMode?: DeadLetterMode;
  /** Delivery counting; default in memory (single replica). Use redisAttemptTracker with several replicas. */
  readonly attempts?: AttemptTracker;
  /** The Dapr app id (attempt keys); default env APP_ID (set by Dapr's injector), then the subscription's service. */
  readonly appId?: string;
  /**
   * APP_API_TOKEN: when set, every request daprd makes must carry it as `dapr-api-token`; others get 401.
   * Default env APP_API_TOKEN.
   */
  readonly appApiToken?: string;
  /**
   * daprd's constant retry interval, the `duration` of the generated inbound retry policy (default 1000 ms):
   * a RETRY answer is held for the rest of the contract's delay, so deliveries follow the contract's backoff.
   */
  readonly sidecarRetryIntervalMs?: number;
  readonly maxBodyBytes?: number;
  readonly logger?: { warn(message: string, details?: Record<string, unknown>): void };
}

export interface DaprTransport extends Transport {
  readonly kind: 'dapr';
  readonly sidecar: DaprSidecarClient;
  /** Starts the app server now; resolves with its port. */
  listen(): Promise<number>;
  /** What GET /dapr/subscribe answers right now. */
  subscriptions(): ProgrammaticSubscription[];
}

export function createDaprTransport(options: DaprTransportOptions = {}): DaprTransport {
  const logger = options.logger ?? {
    warn: (message: string, details?: Record<string, unknown>) =>
      console.warn(`[eventwire dapr] ${message}`, details ?? ''),
  };
  const sidecar = new DaprSidecarClient(options);
  const appId = options.appId ?? process.env.APP_ID;
  const appApiToken = options.appApiToken ?? process.env.APP_API_TOKEN;
  const server = new DaprAppServer(
    {
      port: options.appPort ?? Number(process.env.APP_PORT ?? 8080),
      ...(options.appHost ? { host: options.appHost } : {}),
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
      ...(appApiToken ? { apiToken: appApiToken } : {}),
      onLateSubscription: (name) =>
        logger.warn(
          `subscription '${name}' was added after the sidecar read /dapr/subscribe; daprd only sees it after ` +
            `a restart. Subscribe everything before listening, or declare it in subscription.yaml.`,
        ),
    },
    {
      attempts: options.attempts ?? memoryAttemptTracker(),
      deadLetterMode: options.deadLetterMode ?? 'app',
      publishDeadLetter: (request) => publishDeadLetter(sidecar, request),
      ...(appId ? { appId } : {}),
      sidecarRetryIntervalMs: options.sidecarRetryIntervalMs ?? 1_000,
      parked: new Map(),
      onError: (message, details) => logger.warn(message, details),
    },
  );
  const bindings = new Set<RouteBinding>();
  let listenTimer: NodeJS.Timeout | undefined;
  let closed = false;

  return {
    kind: 'dapr',
    sidecar,
    listen: () => server.listen(),
    subscriptions: () => server.subscriptions(),

    async publish(messages: readonly OutgoingMessage[]): Promise<void> {
      if (closed) throw new Error('The Dapr transport is closed.');
      await publishViaSidecar(sidecar, messages);
    },

    async subscribe(spec: SubscriptionSpec, handler: DeliveryHandler): Promise<SubscriptionHandle> {
      if (closed) throw new Error('The Dapr transport is closed.');
      const binding = new RouteBinding(spec, handler);
      server.add(binding);
      try {
        server.subscriptions(); // validates the merged Dapr subscriptions now, not when daprd asks
      } catch (error) {
        server.remove(binding);
        throw error;
      }
      bindings.add(binding);
      if (options.listen !== 'manual') {
        clearTimeout(listenTimer);
        listenTimer = setTimeout(() => {
          server
            .listen()
            .catch((error: unknown) => logger.warn('app server could not listen', { error: String(error) }));
        }, options.listenDelayMs ?? 100);
      }
      // A stopped subscription keeps its route (answering RETRY): daprd still delivers to it until it restarts,
      // and a 404 would make daprd drop those messages.
      return { stop: () => binding.stop() };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearTimeout(listenTimer);
      await Promise.all([...bindings].map((binding) => binding.stop()));
      await server.close();
      sidecar.close();
    },
  };
}

/** Dead letters keep the CloudEvent shape, so dead-letter consumers decode them like any event. */
async function publishDeadLetter(
  sidecar: DaprSidecarClient,
  { spec, body, traceparent }: DeadLetterRequest,
): Promise<void> {
  if (spec.source.kind !== 'topic') throw new Error(`subscription '${spec.name}' has no pub/sub topic`);
  await sidecar.publish(spec.source.pubsub, spec.deadLetter.address, body, CLOUDEVENTS_CONTENT_TYPE, {
    headers: traceparent ? { traceparent } : {},
  });
}
