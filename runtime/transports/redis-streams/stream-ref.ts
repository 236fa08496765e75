import type { Redis } from 'ioredis';

/** The coordinates every consumer-side command needs: where, which group, which consumer. */
export interface StreamRef {
  /** Non-blocking connection shared with publishing. */
  readonly commands: Redis;
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
