/**
 * Per-subscription keys read from an envelope: the idempotency key (a contract runtime expression) and the
 * ordering position (JSON pointers into the payload). Compiled once per subscription spec.
 *
 * A key is a string (printable, at most LIMITS.keyValue characters) or an integer a double holds exactly: a JSON
 * number beyond ±(2^53 − 1) parses to its nearest double, so `9007199254740992` and `9007199254740993` would
 * make one key and the second event would be dropped as a duplicate of the first. Such an event is refused (dead
 * letter `invalid-payload`, saying to send the key as a string) rather than keyed on a value nobody sent.
 * A key read from a field marked as personal data is replaced by its hash (runtime/pii.ts), so email addresses
 * never become Redis key names or appear in errors.
 */
import type { EventEnvelope } from '../api.ts';
import { ConfigurationError } from '../errors.ts';
import { parsePointer, resolveTokens } from '../json-pointer.ts';
import { keyTextProblem } from '../limits.ts';
import { hashKeyPart, isPii } from '../pii.ts';
import type { OrderingSpec, SubscriptionSpec } from '../spec.ts';

/** The key, or why the event has none that can be used. */
export type KeyRead = { readonly key: string } | { readonly problem: string };

export type KeyReader = (envelope: EventEnvelope<unknown>) => KeyRead;

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
  const pointer = expression.slice(fromPayload ? PAYLOAD.length : HEADER.length);
  const tokens = parsePointer(pointer);
  const personal = fromPayload && markedInAnyType(spec, pointer);
  const namespace = `${spec.service}:${spec.name}:`;
  return (envelope) => {
    const read = keyPart(resolveTokens(fromPayload ? envelope.data : envelope, tokens), personal);
    return 'problem' in read
      ? { problem: `idempotency key ${expression} ${read.problem}` }
      : { key: namespace + read.key };
  };
}

/** Whether the field is personal data in any event type the subscription accepts: then it is hashed for all. */
function markedInAnyType(spec: SubscriptionSpec, pointer: string): boolean {
  return spec.eventTypes.some((type) => isPii(pointer, spec.pii?.[type] ?? []));
}

/** A key from one value: checked, and hashed when it is personal data. */
function keyPart(value: unknown, personal: boolean): KeyRead {
  let text: string;
  if (typeof value === 'string') {
    const problem = keyTextProblem(value);
    if (problem !== undefined) return { problem };
    text = value;
  } else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      return {
        problem:
          'is a number that is not an integer within ±(2^53 − 1): it cannot be read exactly, so two events ' +
          'could share one key; publish the key as a string',
      };
    }
    text = String(value);
  } else {
    return { problem: value === undefined ? 'has no value in the event' : `must be a string or an integer` };
  }
  return { key: personal ? hashKeyPart(text) : text };
}

export interface OrderingPosition {
  readonly key: string;
  readonly sequence: number;
}

export type PositionReader = (data: unknown) => OrderingPosition | string;

/** Returns the position, or a message saying why the payload has none. */
export function compileOrderingPosition(spec: SubscriptionSpec, ordering: OrderingSpec): PositionReader {
  const keyTokens = parsePointer(ordering.keyPointer);
  const sequenceTokens = parsePointer(ordering.sequencePointer);
  const personal = markedInAnyType(spec, ordering.keyPointer);
  return (data) => {
    const key = keyPart(resolveTokens(data, keyTokens), personal);
    if ('problem' in key) return `ordering key ${ordering.keyPointer} ${key.problem}`;
    const raw = resolveTokens(data, sequenceTokens);
    const sequence = typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : raw;
    if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 0) {
      const shown =
        typeof raw === 'number' || typeof raw === 'string' ? String(raw).slice(0, 40) : typeof raw;
      return `ordering sequence ${ordering.sequencePointer} must be a non-negative integer, got ${shown}`;
    }
    return { key: key.key, sequence };
  };
}
