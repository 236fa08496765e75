/**
 * Messages, one per name across the whole model: the publisher's definition and the `$ref` to it in every
 * subscriber are the same Message. Two publishers defining one event differently is an error. A subscriber
 * may instead write its own view of an event (consumer-driven contracts): that definition stays its own
 * Message on its receive operation, so `eventwire check` can prove (topology/payload-mismatch) that what the
 * publisher may send is accepted by it, instead of the model silently swapping in the publisher's schema.
 */
import { isJsonSchemaFormat } from '../parse/parser.ts';
import { childPointer, isRecord, valueAt } from '../parse/pointer.ts';
import type { ParsedDocument } from '../parse/types.ts';
import { type BuildContext, text } from './build-context.ts';
import { fingerprint } from './fingerprint.ts';
import { pascalCase } from './names.ts';
import { dropCyclicUnknownKeywords, piiFields, withoutParserAnnotations } from './schemas.ts';
import type { JsonSchema, Message, MessageExample } from './types.ts';

export type MessageDraft = { -readonly [K in keyof Message]: Message[K] };

const DEFAULT_VERSION = '1.0';

export class MessageRegistry {
  readonly #byName = new Map<string, MessageDraft>();
  readonly #byOrigin = new Map<string, MessageDraft>();
  /** Subscribers' own definitions that differ from the published one; typed after the published names. */
  readonly #views: MessageDraft[] = [];
  #publishersDone = false;

  /** Called once every send operation's messages are registered: later differing definitions are views. */
  publishersRegistered(): void {
    this.#publishersDone = true;
  }

  /** The message at `pointer` of the resolved document (`/channels/x/messages/y`). */
  register(
    ctx: BuildContext,
    doc: ParsedDocument,
    pointer: string,
    resolved: Record<string, unknown>,
    id: string,
  ) {
    const origin = ctx.location(doc, pointer);
    const originKey = `${origin.file}#${origin.pointer}`;
    const known = this.#byOrigin.get(originKey);
    if (known) return known;
    const draft = buildMessage(ctx, doc, pointer, resolved, id);
    const existing = this.#byName.get(draft.name);
    if (existing && this.#publishersDone && fingerprint(existing) !== fingerprint(draft)) {
      this.#views.push(draft);
      this.#byOrigin.set(originKey, draft);
      return draft;
    }
    if (existing && fingerprint(existing) !== fingerprint(draft)) {
      ctx.report(
        'error',
        'message-conflict',
        `message "${draft.name}" is defined differently here and in ${existing.source.file}#${existing.source.pointer}`,
        draft.source,
        'define the event once and reference that definition with $ref from every document',
      );
    }
    const message = existing ?? draft;
    this.#byName.set(message.name, message);
    this.#byOrigin.set(originKey, message);
    return message;
  }

  /** Gives every message a type name unique in the model, in name order (`OrderPlaced`, `OrderPlaced2`). */
  assignTypeNames(): void {
    const taken = new Set<string>();
    for (const name of [...this.#byName.keys()].sort()) {
      const base = pascalCase(name);
      let candidate = base;
      for (let n = 2; taken.has(candidate); n++) candidate = `${base}${n}`;
      taken.add(candidate);
      const message = this.#byName.get(name);
      if (message) message.typeName = candidate;
    }
    // A subscriber's view lives in the subscriber's own generated files, under the event's usual type name.
    for (const view of this.#views) view.typeName = this.#byName.get(view.name)?.typeName ?? view.typeName;
  }
}

/** AsyncAPI 3 Multi Format Schema Object `{ schemaFormat, schema }`, or a plain schema. */
function unwrap(value: unknown): { schemaFormat?: string; inner: boolean } {
  if (isRecord(value) && typeof value.schemaFormat === 'string' && 'schema' in value) {
    return { schemaFormat: value.schemaFormat, inner: true };
  }
  return { inner: false };
}

function payloadOf(
  ctx: BuildContext,
  doc: ParsedDocument,
  pointer: string,
  resolved: Record<string, unknown>,
) {
  const { schemaFormat, inner } = unwrap(resolved.payload);
  const format = schemaFormat ?? `application/vnd.aai.asyncapi+json;version=${doc.version}`;
  const schemaPointer = inner ? childPointer(pointer, 'payload', 'schema') : childPointer(pointer, 'payload');
  if (!isJsonSchemaFormat(format)) {
    // Another schema parser (Avro...) turned the payload into JSON Schema: its output is the payload.
    const converted = valueAt(doc.document?.json(), schemaPointer);
    return { payload: withoutParserAnnotations(converted ?? {}) as JsonSchema, schemaFormat: format };
  }
  const written = ctx.copier(doc).copy(ctx.location(doc, schemaPointer)) as JsonSchema | undefined;
  return { payload: written ?? {}, schemaFormat: format };
}

function buildMessage(
  ctx: BuildContext,
  doc: ParsedDocument,
  pointer: string,
  resolved: Record<string, unknown>,
  id: string,
): MessageDraft {
  const name = text(resolved.name) ?? id;
  const { payload, schemaFormat } = payloadOf(ctx, doc, pointer, resolved);
  for (const ignored of dropCyclicUnknownKeywords(payload)) {
    const hint = ignored.suggestion
      ? `did you mean "${ignored.suggestion}"? Rename it, or remove it`
      : 'remove it, or name it with an "x-" prefix if it is an annotation';
    ctx.report(
      'warning',
      'ignored-schema-keyword',
      `"${ignored.keyword}" is not a JSON Schema keyword and its value refers back into the payload schema of ` +
        `message "${name}": it is ignored`,
      ctx.source(doc, `${childPointer(pointer, 'payload')}${ignored.pointer}`),
      hint,
    );
  }
  const headers =
    unwrap(resolved.headers).inner && isRecord(resolved.headers) ? resolved.headers.schema : resolved.headers;
  const examples: MessageExample[] = (Array.isArray(resolved.examples) ? resolved.examples : []).flatMap(
    (example, index) =>
      isRecord(example)
        ? [
            {
              ...(text(example.name) ? { name: text(example.name) } : {}),
              payload: withoutParserAnnotations(example.payload),
              source: ctx.source(doc, childPointer(pointer, 'examples', index)),
            },
          ]
        : [],
  );
  const idempotency = ctx.extension<{ key?: string }>(resolved, 'x-eventwire-idempotency');
  const defaultContentType = text(doc.resolved.defaultContentType);
  return {
    name,
    typeName: pascalCase(name),
    ...(text(resolved.title) ? { title: text(resolved.title) } : {}),
    ...(text(resolved.summary) ? { summary: text(resolved.summary) } : {}),
    contentType: text(resolved.contentType) ?? defaultContentType ?? 'application/json',
    version: ctx.extension<string>(resolved, 'x-eventwire-version') ?? DEFAULT_VERSION,
    payload,
    schemaFormat,
    ...(headers === undefined ? {} : { headers: withoutParserAnnotations(headers) as JsonSchema }),
    examples,
    piiFields: piiFields(payload),
    ...(idempotency?.key ? { idempotencyKey: idempotency.key } : {}),
    source: ctx.source(doc, pointer),
  };
}
