/**
 * Settings the contracts do not carry, in one place so a platform team can see (and change) every assumption the
 * Dapr emitters make. Durations are in milliseconds, like the model.
 */

/** Labels on every generated resource: `kubectl apply --prune -l app.kubernetes.io/managed-by=eventwire` works. */
export const MANAGED_BY_LABEL = { 'app.kubernetes.io/managed-by': 'eventwire' } as const;
export const SERVICE_LABEL = 'eventwire.dev/service';

/**
 * Kubernetes secrets holding broker credentials, read through the built-in `kubernetes` secret store so no password
 * is ever written into a generated file. The secret is named after the component (`<component>-credentials`).
 */
export const SECRET_STORE = 'kubernetes';
export const secretName = (component: string): string => `${component}-credentials`;
export const REDIS_PASSWORD_KEY = 'redis-password';
export const RABBITMQ_USERNAME_KEY = 'rabbitmq-username';
export const RABBITMQ_PASSWORD_KEY = 'rabbitmq-password';

/**
 * Dapr expands `{appID}` in component metadata, so each app gets its own consumer group (Redis) or queue prefix
 * (RabbitMQ) and every subscribing app receives every event, instead of apps competing for one group.
 */
export const CONSUMER_ID_PER_APP = '{appID}';

/** RabbitMQ `prefetchCount` is an 8-bit field in the Dapr component. */
export const RABBITMQ_PREFETCH_MAX = 255;

/** Publishing (sidecar -> broker): give up on a hung broker instead of blocking the publisher. */
export const OUTBOUND_TIMEOUT_MS = 5_000;

/** Stop calling a broker that failed 5 times in a row; probe again after 30 s with one request. */
export const OUTBOUND_BREAKER = {
  trip: 'consecutiveFailures >= 5',
  timeoutMs: 30_000,
  intervalMs: 60_000,
  maxRequests: 1,
};
