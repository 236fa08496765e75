/**
 * The platform envelope: creation (ids, timestamps, correlation, causation, trace context) and the JSON wire
 * encoding. Decoding checks structure and the limits of runtime/limits.ts (bytes, identifiers, trace context);
 * payload validation against the schema is the pipeline's job.
 */
import { isUtf8 } from 'node:buffer';
import type { EventEnvelope, EventMetadata, PublishOptions } from './api.ts';
import { EnvelopeDecodeError, EnvelopeFieldError } from './errors.ts';
import { identifierProblem, LIMITS } from './limits.ts';
import { chooseTraceContext, normalizeTraceparent, sanitizeTracestate } from './trace-context.ts';
import { constantJson, jsonOf, maxUtf8Bytes, memberText } from './json-text.ts';
import { lastUuidV7Time, uuidv7 } from './uuid.ts';

export interface EnvelopeSource {
  readonly eventType: string;
  /** Schema version of `data`. */
  readonly version: string;
  readonly service: { readonly name: string; readonly version: string };
}

export function createEnvelope<T>(
  source: EnvelopeSource,
  data: T,
  options: PublishOptions = {},
  now: number = Date.now(),
): EventEnvelope<T> {
  const eventId = uuidv7(now);
  const eventMs = lastUuidV7Time();
  const causedBy = options.causedBy;
  const trace = chooseTraceContext({
    traceparent: options.traceparent,
    tracestate: options.tracestate,
    inherited: causedBy?.metadata,
  });
  const metadata: EventMetadata = {
    correlation_id: publishedId(
      options.correlationId ?? causedBy?.metadata.correlation_id ?? uuidv7(now),
      'correlation_id',
    ),
    ...(causedBy ? { causation_id: publishedId(causedBy.event_id, 'causation_id') } : {}),
    service: source.service.name,
    version: source.service.version,
    traceparent: trace.traceparent,
    ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
  };
  return {
    event_id: eventId,
    event_type: source.eventType,
    // The id's own millisecond, so timestamp order and id order never disagree.
    timestamp: isoTimestamp(eventMs),
    version: source.version,
    data,
    metadata,
  };
}

/** Ids a publisher passes in are held to the limits consumers apply, so an event is never refused downstream. */
function publishedId(value: string, field: string): string {
  const problem = identifierProblem(value, LIMITS.id);
  if (problem !== undefined) throw new EnvelopeFieldError(`/metadata/${field}`, problem);
  return value;
}

let isoMs = -1;
let isoText = '';

/** ISO-8601 UTC; cached per millisecond because formatting dates is a visible cost at 50k events/s. */
function isoTimestamp(ms: number): string {
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

export function encodeEnvelope(envelope: EventEnvelope<unknown>): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/** `encodeEnvelope`'s result in parts, so that the payload is serialized once per event. */
export interface EnvelopeParts {
  readonly envelope: EventEnvelope<unknown>;
  /** The envelope's JSON, built on first read: a transport that sends the CloudEvent instead never builds it. */
  readonly body: Buffer;
  /** UTF-8 bytes of `body`, counted on first read without building it (the envelope size limit's measure). */
  readonly byteLength: number;
  /** A bound of `byteLength` known without counting: an envelope within the limit by it needs no count. */
  readonly maxByteLength: number;
  /** The payload's JSON as `body` holds it; undefined when the payload has no JSON form (`undefined`). */
  readonly dataJson: string | undefined;
}

/**
 * `encodeEnvelope`, keeping the payload's JSON apart so a second encoding of the same event (the CloudEvent of
 * the Redis Streams and Dapr transports) reuses it instead of parsing the body back and serializing the payload
 * again (profiled: a fifth of the publish path's CPU at 20,000 events/s). The body is byte for byte what
 * `encodeEnvelope` writes, and is built only when read: the Redis Streams transport sends the CloudEvent, and
 * the envelope body it never sent was two copies of the payload per event for the garbage collector (17 % of a
 * load worker's CPU at 14,000 events/s).
 */
export function encodeEnvelopeParts(envelope: EventEnvelope<unknown>): EnvelopeParts {
  const dataJson = JSON.stringify(envelope.data) as string | undefined;
  if (dataJson === undefined) {
    const body = encodeEnvelope(envelope);
    return { envelope, body, byteLength: body.length, maxByteLength: body.length, dataJson };
  }
  const { before, after } = jsonAroundData(envelope);
  return new LazyParts(envelope, before, dataJson, after);
}

/**
 * `encodeEnvelopeParts` of an envelope `createEnvelope` returned (what publishing encodes): its members are
 * written one by one in the order createEnvelope gives them, instead of a generic walk of the envelope and of its
 * metadata (a tenth of the publish path's CPU), and the size limit is checked against a bound of the byte length
 * before the bytes are counted. Byte for byte `encodeEnvelope` (property test in runtime/cloudevents.test.ts);
 * another object's members may be in another order, so anything else goes through `encodeEnvelopeParts`.
 * `event_id` and `correlation_id` are always strings there (an id createEnvelope made or checked).
 */
export function encodeCreatedEnvelopeParts(envelope: EventEnvelope<unknown>): EnvelopeParts {
  const dataJson = JSON.stringify(envelope.data) as string | undefined;
  if (dataJson === undefined) return encodeEnvelopeParts(envelope);
  const { metadata } = envelope;
  const before =
    `{"event_id":${JSON.stringify(envelope.event_id)}` +
    memberText('event_type', constantJson(envelope.event_type)) +
    memberText('timestamp', jsonOf(envelope.timestamp)) +
    memberText('version', constantJson(envelope.version)) +
    ',"data":';
  const after =
    `,"metadata":{"correlation_id":${JSON.stringify(metadata.correlation_id)}` +
    memberText('causation_id', jsonOf(metadata.causation_id)) +
    memberText('service', constantJson(metadata.service)) +
    memberText('version', constantJson(metadata.version)) +
    memberText('traceparent', jsonOf(metadata.traceparent)) +
    memberText('tracestate', jsonOf(metadata.tracestate)) +
    '}}';
  return new LazyParts(envelope, before, dataJson, after);
}

/**
 * The parts of `before + dataJson + after`: the body built and its bytes counted only when read. A class, not an
 * object literal with getters: V8 builds such a literal through a slow path (~0.4 µs per event, profiled).
 */
class LazyParts implements EnvelopeParts {
  readonly envelope: EventEnvelope<unknown>;
  readonly dataJson: string;
  readonly maxByteLength: number;
  readonly #before: string;
  readonly #after: string;
  #body: Buffer | undefined;
  #byteLength: number | undefined;

  constructor(envelope: EventEnvelope<unknown>, before: string, dataJson: string, after: string) {
    this.envelope = envelope;
    this.#before = before;
    this.dataJson = dataJson;
    this.#after = after;
    this.maxByteLength = maxUtf8Bytes(before.length + dataJson.length + after.length);
  }

  get body(): Buffer {
    this.#body ??= Buffer.from(this.#before + this.dataJson + this.#after, 'utf8');
    return this.#body;
  }

  get byteLength(): number {
    this.#byteLength ??=
      Buffer.byteLength(this.#before) + Buffer.byteLength(this.dataJson) + Buffer.byteLength(this.#after);
    return this.#byteLength;
  }
}

/**
 * `JSON.stringify(fields)` for a flat object whose `data` member is already JSON (`dataJson`): members keep
 * their order, members whose value is undefined are left out, as JSON.stringify does.
 */
export function jsonWithData(fields: object, dataJson: string): string {
  const { before, after } = jsonAroundData(fields);
  return before + dataJson + after;
}

/**
 * `jsonWithData`'s text on either side of the `data` member's value: `before + dataJson + after`. `data` must
 * be one of `fields`' own members.
 */
function jsonAroundData(fields: object): { readonly before: string; readonly after: string } {
  let before = '';
  let text = '';
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    if (key === 'data') {
      before = `${text},"data":`;
      text = '';
      continue;
    }
    const json = JSON.stringify((fields as Record<string, unknown>)[key]) as string | undefined;
    if (json === undefined) continue;
    text += `,${quotedKey(key)}:${json}`;
  }
  return { before: `{${before.slice(1)}`, after: `${text}}` };
}

// Member names are the few fixed names of the envelope and the CloudEvent: each is quoted once.
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 64) quotedKeys.set(key, quoted);
  }
  return quoted;
}

export function decodeEnvelope(body: Buffer | string): EventEnvelope<unknown> {
  return parseEnvelope(parseJson(body));
}

/**
 * JSON of a received body. Refused: bytes that are not UTF-8 (decoding would silently turn them into U+FFFD and
 * hand the handler text nobody sent), text that is not JSON (the parser's message is not repeated: it quotes the
 * body, which may hold personal data), and numbers a double cannot hold (`1e400` parses as Infinity, which passes
 * `type: integer` checks and is written back as `null`).
 */
export function parseJson(body: Buffer | string): unknown {
  if (typeof body !== 'string' && !isUtf8(body)) {
    throw new EnvelopeDecodeError('', `is not valid UTF-8 (${invalidUtf8At(body)})`);
  }
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new EnvelopeDecodeError('', `is not valid JSON${position ? ` (at character ${position})` : ''}`);
  }
  // Only text holding a number of 309 digits or more, or an exponent of 3 digits, can overflow: walk only then.
  if (mayOverflow(text) && hasNonFiniteNumber(parsed)) {
    const pointer = nonFiniteNumberAt(parsed, '');
    if (pointer !== undefined) {
      throw new EnvelopeDecodeError(
        pointer,
        'is a number too large for a double (it would read as Infinity)',
      );
    }
  }
  return parsed;
}

/**
 * A digit followed by an exponent of three digits or more, leading zeros aside: a candidate for a number a double
 * cannot hold. Hex ids and trace ids (`"…5e123…"`) match it too; numberStartsAt tells them apart.
 */
const LONG_EXPONENT = /\d[eE]\+?0*[1-9]\d\d/g;

/**
 * Whether some candidate of LONG_EXPONENT is the exponent of a JSON number: the mantissa before it (digits, `.`,
 * `-`) starts the text or follows `:`, `,`, `[` or whitespace. Inside a string the mantissa follows a letter or a
 * quote. Candidates are checked by walking back from each, not by a regex anchored on every character of the
 * text (profiled: that regex ran for most envelopes, whose UUIDs hold such hex runs, and cost more than the walk).
 */
function hasLongExponent(text: string): boolean {
  LONG_EXPONENT.lastIndex = 0;
  for (let match = LONG_EXPONENT.exec(text); match !== null; match = LONG_EXPONENT.exec(text)) {
    if (numberStartsAt(text, match.index)) return true;
    LONG_EXPONENT.lastIndex = match.index + 1;
  }
  return false;
}

function numberStartsAt(text: string, lastDigit: number): boolean {
  let start = lastDigit;
  while (start > 0 && isMantissaChar(text.charCodeAt(start - 1))) start--;
  if (start === 0) return true;
  const before = text.charCodeAt(start - 1);
  // ':' ',' '[' and JSON whitespace (space, tab, line feed, carriage return).
  return (
    before === 0x3a ||
    before === 0x2c ||
    before === 0x5b ||
    before === 0x20 ||
    before === 0x09 ||
    before === 0x0a ||
    before === 0x0d
  );
}

function isMantissaChar(code: number): boolean {
  return isDigit(code) || code === 0x2e || code === 0x2d;
}

/**
 * Whether `text` may hold a JSON number a double cannot hold: an exponent of three digits or more (`1e400`), or a
 * run of 309 digits. Every delivery passes here, so the digit runs are found by sampling rather than a scan, and
 * text that merely looks like it (`"v1e100"`) only costs a walk of the parsed value.
 */
function mayOverflow(text: string): boolean {
  if (hasLongExponent(text)) return true;
  // A run of 309 digits contains one of every 300th characters: look around those only.
  for (let at = 0; at < text.length; at += 300) {
    if (!isDigit(text.charCodeAt(at))) continue;
    let start = at;
    let end = at;
    while (isDigit(text.charCodeAt(start - 1))) start--;
    while (isDigit(text.charCodeAt(end + 1))) end++;
    if (end - start + 1 >= 309) return true;
  }
  return false;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Whether a parsed JSON value holds a non-finite number; builds no pointers (iterative: nesting is unbounded). */
function hasNonFiniteNumber(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return true;
    } else if (value !== null && typeof value === 'object') {
      for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push(child);
    }
  }
  return false;
}

/** The pointer of the first non-finite number in a parsed JSON value (iterative: nesting depth is unbounded). */
function nonFiniteNumberAt(root: unknown, rootPointer: string): string | undefined {
  const stack: [unknown, string][] = [[root, rootPointer]];
  while (stack.length > 0) {
    const [value, pointer] = stack.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return pointer;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        stack.push([child, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`]);
      }
    }
  }
  return undefined;
}

/** Where the first malformed UTF-8 sequence starts, for the error message (only run on a refused body). */
function invalidUtf8At(body: Buffer): string {
  let offset = 0;
  while (offset < body.length) {
    const lead = body[offset]!;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead <= 0xf4
              ? 4
              : 0;
    if (length === 0 || (length > 1 && !isUtf8(body.subarray(offset, offset + length)))) break;
    offset += length;
  }
  return `first bad byte at offset ${offset}`;
}

/**
 * Structural check of a parsed body; returns a clean envelope without unknown top-level fields. Identifiers are
 * bounded and must be visible ASCII (runtime/limits.ts); trace context is kept only as W3C allows it to travel on.
 */
export function parseEnvelope(value: unknown): EventEnvelope<unknown> {
  const body = expectObject(value, '');
  // Checked in document order, so the first error reported is the first field a reader would look at.
  const eventId = expectIdentifier(body, 'event_id', '', LIMITS.id);
  const eventType = expectIdentifier(body, 'event_type', '', LIMITS.name);
  const timestamp = expectIdentifier(body, 'timestamp', '', LIMITS.short);
  if (Number.isNaN(Date.parse(timestamp))) {
    throw new EnvelopeDecodeError('/timestamp', `must be an ISO-8601 date-time, got '${timestamp}'`);
  }
  const version = expectIdentifier(body, 'version', '', LIMITS.short);
  if (!('data' in body)) throw new EnvelopeDecodeError('/data', 'is required');
  const metadata = expectObject(body.metadata, '/metadata');
  const correlation = expectIdentifier(metadata, 'correlation_id', '/metadata', LIMITS.id);
  const causation = optionalString(metadata, 'causation_id', '/metadata');
  if (causation !== undefined) checkIdentifier(causation, '/metadata/causation_id', LIMITS.id);
  const clean: { -readonly [K in keyof EventMetadata]: EventMetadata[K] } = {
    correlation_id: correlation,
    service: expectIdentifier(metadata, 'service', '/metadata', LIMITS.name),
    version: expectIdentifier(metadata, 'version', '/metadata', LIMITS.short),
  };
  if (causation !== undefined) clean.causation_id = causation;
  const traceparent = normalizeTraceparent(optionalString(metadata, 'traceparent', '/metadata'));
  if (traceparent !== undefined) {
    clean.traceparent = traceparent;
    const tracestate = sanitizeTracestate(optionalString(metadata, 'tracestate', '/metadata'));
    if (tracestate !== undefined) clean.tracestate = tracestate;
  }
  return { event_id: eventId, event_type: eventType, timestamp, version, data: body.data, metadata: clean };
}

type Fields = Record<string, unknown>;

function expectObject(value: unknown, pointer: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EnvelopeDecodeError(pointer, 'must be a JSON object');
  }
  return value as Fields;
}

function expectIdentifier(fields: Fields, name: string, parent: string, max: number): string {
  const value = fields[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new EnvelopeDecodeError(`${parent}/${name}`, 'must be a non-empty string');
  }
  return checkIdentifier(value, `${parent}/${name}`, max);
}

function checkIdentifier(value: string, pointer: string, max: number): string {
  const problem = identifierProblem(value, max);
  if (problem !== undefined) throw new EnvelopeDecodeError(pointer, problem);
  return value;
}

function optionalString(fields: Fields, name: string, parent: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new EnvelopeDecodeError(`${parent}/${name}`, 'must be a string');
  return value;
}
