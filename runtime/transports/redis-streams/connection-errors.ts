/**
 * Connection errors of the Redis connections the transport opens go to its `logger`, once per outage: ioredis
 * emits 'error' on every failed reconnect, and a connection without an 'error' listener makes ioredis print
 * `[ioredis] Unhandled error event` to stderr each time, past any logger the service configured.
 */
import type { Redis } from 'ioredis';
import type { TransportLogger } from './options.ts';
import { errorText } from './stream-ref.ts';

export function reportConnectionErrors(redis: Redis, logger: TransportLogger, role: string): void {
  let down = false;
  redis.on('error', (error: unknown) => {
    if (down) return;
    down = true;
    logger.error(`Redis ${role} connection failed; reconnecting`, { error: errorText(error) });
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.warn(`Redis ${role} connection restored`);
  });
}
