/**
 * Per-subscription keys read from an envelope: the idempotency key (a contract runtime expression) and the
 * ordering position (JSON pointers into the payload). Compiled once per subscription spec.
 */
import type { EventEnvelope } from '../api.ts';
import { ConfigurationError } from '../errors.ts';
import { parsePointer, resolveTokens } from '../json-pointer.ts';
import type { OrderingSpec, SubscriptionSpec } from '../spec.ts';

export type KeyReader = (envelope: EventEnvelope<unknown>) => string | undefined;

const HEADER = '$message.header#';
const PAYLOAD = '$message.payload#';

/**
 * `$message.header#/event_id` reads the envelope's own fields (they travel as the message headers);
 * `$message.payload#/subscription_id` reads the payload. The key is namespaced by service and subscription so
 * two subscriptions receiving the same event each process it once.
 */
export function compileIdempotencyKey(spec: SubscriptionSpec): KeyReader {
  const expression = spec.idempotency.key || `${HEADER}/event_id`;
  const fromPayload = expression.startsWith(PAYLOAD);
  if (!fromPayload && !expression.startsWith(HEADER)) {
    throw new ConfigurationError(
      `subscription ${spec.name}: idempotency key '${expression}' must start with '${HEADER}' or '${PAYLOAD}'`,
    );
  }
  const tokens = parsePointer(expression.slice(fromPayload ? PAYLOAD.length : HEADER.length));
  const namespace = `${spec.service}:${spec.name}:`;
  return (envelope) => {
    const value = resolveTokens(fromPayload ? envelope.data : envelope, tokens);
    if (typeof value === 'string' && value !== '') return namespace + value;
    if (typeof value === 'number' && Number.isFinite(value)) return namespace + String(value);
    return undefined;
  };
}

export interface OrderingPosition {
  readonly key: string;
  readonly sequence: number;
}

export type PositionReader = (data: unknown) => OrderingPosition | string;

/** Returns the position, or a message saying why the payload has none. */
export function compileOrderingPosition(ordering: OrderingSpec): PositionReader {
  const keyTokens = parsePointer(ordering.keyPointer);
  const sequenceTokens = parsePointer(ordering.sequencePointer);
  return (data) => {
    const key = resolveTokens(data, keyTokens);
    if (typeof key !== 'string' && typeof key !== 'number') {
      return `ordering key ${ordering.keyPointer} is missing or not a string/number`;
    }
    const raw = resolveTokens(data, sequenceTokens);
    const sequence = typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : raw;
    if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 0) {
      return `ordering sequence ${ordering.sequencePointer} must be a non-negative integer, got ${JSON.stringify(raw)}`;
    }
    return { key: String(key), sequence };
  };
}
