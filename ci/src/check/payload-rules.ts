/**
 * topology/payload-mismatch, topology/payload-undecidable and topology/unhandled-message: for every
 * publisher/subscriber pair that meets, each message the publisher sends must be one the subscriber declares
 * (same name = same event type), with the same content type, and the publisher's payload and headers schemas
 * must be included in the subscriber's (publisher ⊆ subscriber, decided by the schema-subset engine).
 */
import path from 'node:path';
import type { JsonSchema, Message, Operation } from '../../../generators/model/types.ts';
import { renderIssue, type SubsetIssue, type SubsetResult } from '../schema/issues.ts';
import { isSubset } from '../schema/schema-subset.ts';
import { type Endpoint, topologyOf } from '../topology/topology.ts';
import type { CheckContext, CheckRule, RawFinding } from './context.ts';

const MAX_LISTED = 3;

/** One comparison per pair of schema objects, however many operations share them. */
function cachedSubset(
  cache: Map<JsonSchema, Map<JsonSchema, SubsetResult>>,
  a: JsonSchema,
  b: JsonSchema,
): SubsetResult {
  let row = cache.get(a);
  if (!row) {
    row = new Map();
    cache.set(a, row);
  }
  let result = row.get(b);
  if (!result) {
    result = isSubset(a, b);
    row.set(b, result);
  }
  return result;
}

function suggestionFor(first: SubsetIssue | undefined, publisher: Message, subscriberFile: string): string {
  const ref = `${path.posix.relative(path.posix.dirname(subscriberFile), publisher.source.file) || path.posix.basename(publisher.source.file)}#${publisher.source.pointer}`;
  const share = `or reference the publisher's definition (\`$ref: '${ref.startsWith('.') ? ref : `./${ref}`}'\`) so both sides share one schema`;
  switch (first?.kind) {
    case 'required':
      return `make the field required in the publisher's schema or optional in the subscriber's, ${share}`;
    case 'property-forbidden':
    case 'additional-properties':
      return `allow the property in the subscriber's schema or stop declaring it in the publisher's, ${share}`;
    default:
      return `align the subscriber's schema with the publisher's, ${share}`;
  }
}

interface Pair {
  readonly send: Endpoint;
  readonly receive: Endpoint;
}

function pairs(context: CheckContext): Pair[] {
  const topology = topologyOf(context.model);
  const seen = new Set<string>();
  const out: Pair[] = [];
  for (const receive of topology.receives) {
    for (const send of topology.publishersOf.get(receive) ?? []) {
      const key = `${send.origin}|${send.service}|${send.operation.id}|${receive.service}|${receive.operation.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ send, receive });
    }
  }
  return out;
}

function locationOf(receiver: Operation, message: Message, schemaPath: string, part: 'payload' | 'headers') {
  // Point into the subscriber's own message definition when it has one; otherwise at the operation.
  if (message.source.file === receiver.source.file)
    return { file: message.source.file, pointer: `${message.source.pointer}/${part}${schemaPath}` };
  return receiver.source;
}

function compareMessages(
  pair: Pair,
  published: Message,
  received: Message,
  cache: Map<JsonSchema, Map<JsonSchema, SubsetResult>>,
): RawFinding[] {
  const { send, receive } = pair;
  const roles = { left: `publisher ${send.label}`, right: `subscriber ${receive.service}` };
  const findings: RawFinding[] = [];
  if (published.contentType !== received.contentType) {
    findings.push({
      code: 'topology/payload-mismatch',
      ...locationOf(receive.operation, received, '', 'payload'),
      address: receive.address,
      message: `${send.label} sends \`${published.name}\` as ${published.contentType}, but ${receive.service}'s \`${receive.operation.id}\` expects ${received.contentType}`,
      hint: 'use the same contentType on both sides',
    });
  }
  const parts: ['payload' | 'headers', JsonSchema | undefined, JsonSchema | undefined][] = [
    ['payload', published.payload, received.payload],
    ['headers', published.headers, received.headers],
  ];
  for (const [part, a, b] of parts) {
    if (a === undefined || b === undefined || a === b) continue;
    const result = cachedSubset(cache, a, b);
    if (result.verdict === 'yes') continue;
    const listed = result.issues.filter((i) => result.verdict === 'unknown' || i.certain);
    const first = listed[0];
    const more = listed.length > MAX_LISTED ? ` (and ${listed.length - MAX_LISTED} more)` : '';
    const reasons = listed
      .slice(0, MAX_LISTED)
      .map((i) => renderIssue(i, roles))
      .join('; ');
    const what = part === 'payload' ? `\`${published.name}\` payloads` : `\`${published.name}\` headers`;
    findings.push({
      code: result.verdict === 'no' ? 'topology/payload-mismatch' : 'topology/payload-undecidable',
      ...locationOf(receive.operation, received, first?.schemaPath ?? '', part),
      address: receive.address,
      message:
        result.verdict === 'no'
          ? `${send.label} may send ${what} that ${receive.service}'s \`${receive.operation.id}\` rejects: ${reasons}${more}`
          : `cannot decide whether ${receive.service}'s \`${receive.operation.id}\` accepts every ${what} ${send.label} may send: ${reasons}${more}`,
      hint: suggestionFor(first, published, receive.operation.source.file),
    });
  }
  return findings;
}

function run(context: CheckContext): RawFinding[] {
  const cache = new Map<JsonSchema, Map<JsonSchema, SubsetResult>>();
  const findings: RawFinding[] = [];
  for (const pair of pairs(context)) {
    const { send, receive } = pair;
    const declared = new Map(receive.operation.messages.map((m) => [m.name, m]));
    for (const published of send.messages) {
      const received = declared.get(published.name);
      if (received) {
        findings.push(...compareMessages(pair, published, received, cache));
        continue;
      }
      if (declared.size === 0) continue;
      const ref = path.posix.relative(
        path.posix.dirname(receive.operation.source.file),
        published.source.file,
      );
      findings.push({
        code: 'topology/unhandled-message',
        file: receive.operation.source.file,
        pointer: receive.operation.source.pointer,
        address: receive.address,
        message: `${send.label} sends \`${published.name}\` on \`${send.address}\`, which reaches ${receive.service}'s \`${receive.operation.id}\`, but that operation does not declare the message`,
        hint: `add it to the operation's messages (the message is defined at ${ref || published.source.file}#${published.source.pointer})`,
      });
    }
  }
  return findings;
}

export const payloadRules: CheckRule = {
  ids: ['topology/payload-mismatch', 'topology/payload-undecidable', 'topology/unhandled-message'],
  run,
};
