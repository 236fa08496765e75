/**
 * Typed errors for bad input at the runtime boundary. Each carries a stable `code` so callers can branch
 * without parsing messages, and a message that says what was expected and how to fix it.
 */
import type { ValidationIssue } from './spec.ts';

export type EventwireErrorCode =
  | 'payload-invalid'
  | 'parameter-missing'
  | 'envelope-too-large'
  | 'envelope-decode'
  | 'envelope-field'
  | 'handler-timeout'
  | 'configuration'
  | 'lease-lost'
  | 'idempotency-key'
  | 'batch-publish';

export class EventwireError extends Error {
  readonly code: EventwireErrorCode;
  constructor(code: EventwireErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The payload does not match the message schema; `fields` are JSON pointers of the offending fields. */
export class PayloadValidationError extends EventwireError {
  readonly eventType: string;
  readonly issues: readonly ValidationIssue[];
  readonly fields: readonly string[];
  constructor(eventType: string, issues: readonly ValidationIssue[] | null | undefined) {
    const list = issues ?? [];
    super('payload-invalid', `payload of ${eventType} is invalid: ${formatIssues(list)}`);
    this.eventType = eventType;
    this.issues = list;
    this.fields = [...new Set(list.map(issueField))];
  }
}

/** A `{param}` placeholder of the channel address has no value in the publish call's `parameters`. */
export class MissingParameterError extends EventwireError {
  readonly parameter: string;
  readonly address: string;
  constructor(parameter: string, address: string) {
    super(
      'parameter-missing',
      `channel address '${address}' needs a value for '{${parameter}}': pass it as options.parameters.${parameter}`,
    );
    this.parameter = parameter;
    this.address = address;
  }
}

export class EnvelopeTooLargeError extends EventwireError {
  readonly eventType: string;
  readonly bytes: number;
  readonly limit: number;
  constructor(eventType: string, bytes: number, limit: number) {
    super(
      'envelope-too-large',
      `envelope of ${eventType} is ${bytes} bytes, over the ${limit}-byte limit: ` +
        'publish a reference (id or URL) to the large content instead of embedding it',
    );
    this.eventType = eventType;
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** A received body is not an envelope; `pointer` locates the offending field ('' for the whole body). */
export class EnvelopeDecodeError extends EventwireError {
  readonly pointer: string;
  constructor(pointer: string, expected: string) {
    super('envelope-decode', `cannot decode envelope: ${pointer || '(body)'} ${expected}`);
    this.pointer = pointer;
  }
}

/** A value a publisher passed for an envelope field (a correlation id, ...) is outside the runtime's limits. */
export class EnvelopeFieldError extends EventwireError {
  readonly pointer: string;
  constructor(pointer: string, problem: string) {
    super('envelope-field', `envelope field ${pointer} ${problem} (see runtime/limits.ts)`);
    this.pointer = pointer;
  }
}

export class HandlerTimeoutError extends EventwireError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super('handler-timeout', `handler did not finish within ${timeoutMs} ms (handlerTimeout)`);
    this.timeoutMs = timeoutMs;
  }
}

export class ConfigurationError extends EventwireError {
  constructor(message: string) {
    super('configuration', message);
  }
}

/** The idempotency claim expired and was taken over before the work could be marked done. */
export class LeaseLostError extends EventwireError {
  readonly key: string;
  constructor(key: string) {
    super(
      'lease-lost',
      `idempotency claim on '${key}' was lost (lease expired and re-claimed); not committing`,
    );
    this.key = key;
  }
}

/** The idempotency store refused a key as data (a character or a length its storage cannot hold). */
export class IdempotencyKeyError extends EventwireError {
  constructor(reason: string, options?: { readonly cause?: unknown }) {
    super('idempotency-key', `the idempotency store cannot hold this event's key: ${reason}`);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A batch was split into several broker calls and one failed: the first `publishedCount` events went out. */
export class BatchPublishError extends EventwireError {
  readonly publishedCount: number;
  override readonly cause: unknown;
  constructor(publishedCount: number, total: number, cause: unknown) {
    super(
      'batch-publish',
      `batch publish failed after ${publishedCount} of ${total} events: ${errorMessage(cause)}`,
    );
    this.publishedCount = publishedCount;
    this.cause = cause;
  }
}

/** The field an issue is about: ajv reports a missing property on its parent, so append the property name. */
export function issueField(issue: ValidationIssue): string {
  const missing = issue.params.missingProperty;
  return typeof missing === 'string' ? `${issue.instancePath}/${missing}` : issue.instancePath;
}

/** A property name as it may appear in an error: quoted, and cut short when a publisher sent a huge one. */
function propertyName(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/** ajv's message, with the property named where ajv keeps it in `params` (`must NOT have additional properties`). */
function issueMessage(issue: ValidationIssue): string {
  const extra = issue.params.additionalProperty;
  if (issue.keyword === 'additionalProperties' && typeof extra === 'string')
    return `must NOT have the additional property ${propertyName(extra)}`;
  const unevaluated = issue.params.unevaluatedProperty;
  if (issue.keyword === 'unevaluatedProperties' && typeof unevaluated === 'string')
    return `must NOT have the unevaluated property ${propertyName(unevaluated)}`;
  return issue.message ?? issue.keyword;
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return 'rejected by the schema (no details reported)';
  return issues.map((issue) => `${issueField(issue) || '(root)'} ${issueMessage(issue)}`).join('; ');
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
