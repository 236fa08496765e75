/**
 * Bounds on what the runtime accepts from the wire, defined once. Envelopes are decoded against them
 * (envelope.ts), idempotency and ordering keys read from payloads are checked against them (consume/keys.ts), and
 * every text the runtime writes (errors, dead-letter reasons) is cut to `errorText`. They exist because every
 * field of a received message ends up somewhere that costs: a Redis key name, an AMQP short string (255 bytes at
 * most), a PostgreSQL `text` (no NUL), a log line (no control characters), the header of a follow-up event.
 */

export const LIMITS = {
  /** Envelope bytes on the wire, published and consumed: the platform's 256 KiB. */
  envelopeBytes: 256 * 1024,
  /** `event_id`, `metadata.correlation_id`, `metadata.causation_id`: a UUID is 36. */
  id: 128,
  /** `event_type` and `metadata.service`: they travel as AMQP short strings (255 bytes). */
  name: 255,
  /** `version`, `metadata.version`, `timestamp`. */
  short: 64,
  /** A string read from the payload as an idempotency or ordering key. */
  keyValue: 256,
  /** Errors and dead-letter reasons: enough for a stack of causes, never a copy of the payload. */
  errorText: 1000,
  /** W3C tracestate: at most 32 list members; propagate at least 512 characters (Trace Context §3.3.1.4). */
  tracestateMembers: 32,
  tracestateLength: 512,
  /** W3C: when tracestate must be cut, members longer than this go first. */
  tracestateLongMember: 128,
} as const;

/**
 * Identifiers (ids, event type, service, versions): visible ASCII (0x21-0x7e), no spaces. A regex, not a
 * charCodeAt loop: every delivery checks half a dozen of these, and V8's regex engine scans a one-byte string
 * about 3x faster than the loop did (profiled: 1.6 against 0.55 µs for the six identifiers of an envelope).
 */
const VISIBLE_ASCII = /^[\x21-\x7e]*$/;

function isVisibleAscii(value: string): boolean {
  return VISIBLE_ASCII.test(value);
}

/**
 * Why `value` is not an identifier of at most `max` characters, or undefined when it is one. Visible ASCII only:
 * identifiers become AMQP short strings, Redis key names and log fields, where a NUL, an escape sequence or a
 * multi-byte character would break or forge something.
 */
export function identifierProblem(value: string, max: number): string | undefined {
  if (value.length === 0) return 'must be a non-empty string';
  if (value.length > max) return `must be at most ${max} characters, got ${value.length}`;
  if (!isVisibleAscii(value)) {
    return 'must be visible ASCII characters only (no spaces, control characters or non-ASCII)';
  }
  return undefined;
}

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators (they split log lines too). */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/** Why a free-text key value (a name, an email) is unusable, or undefined: printable, well formed, bounded. */
export function keyTextProblem(value: string, max: number = LIMITS.keyValue): string | undefined {
  if (value.length === 0) return 'is an empty string';
  if (value.length > max) return `is ${value.length} characters long, over the ${max}-character limit`;
  if (CONTROL.test(value)) return 'contains a control character';
  if (!value.isWellFormed()) return 'contains a lone UTF-16 surrogate';
  return undefined;
}

/** `text` cut to `max` characters, with a mark saying how much was cut. */
export function truncateText(text: string, max: number = LIMITS.errorText): string {
  if (text.length <= max) return text;
  const mark = `… (${text.length - max} more characters)`;
  return text.slice(0, Math.max(0, max - mark.length)) + mark;
}
