/** Operations of one document, each tied to the joined Channel and to the Messages it uses. */
import { parseDuration } from './duration.ts';
import { childPointer, isRecord } from '../parse/pointer.ts';
import type { ParsedDocument } from '../parse/types.ts';
import { type BuildContext, sortedEntries, text } from './build-context.ts';
import type { ChannelDraft } from './build-channels.ts';
import { buildDelivery } from './delivery.ts';
import type { Channel, DualPublish, Message, Operation, Sla, SourceRef } from './types.ts';

const PARSER_ID = 'x-parser-unique-object-id';
const RECEIVE_ONLY = [
  'x-eventwire-subscription',
  'x-eventwire-retry',
  'x-eventwire-dead-letter',
  'x-eventwire-idempotency',
  'x-eventwire-queue',
];
const SEND_ONLY = ['x-eventwire-dual-publish'];

interface SlaExtension {
  publishP95?: string;
  publishP99?: string;
  processingP95?: string;
  eventsPerHour?: number;
  peakPerSecond?: number;
  deliverySuccessRate?: number;
}

function sla(extension: SlaExtension | undefined): Sla | undefined {
  if (!extension) return undefined;
  const out: Record<string, number> = {};
  for (const key of ['publishP95', 'publishP99', 'processingP95'] as const) {
    const value = extension[key] === undefined ? undefined : parseDuration(extension[key]);
    if (value !== undefined) out[key] = value;
  }
  for (const key of ['eventsPerHour', 'peakPerSecond', 'deliverySuccessRate'] as const) {
    const value = extension[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function dualPublish(
  extension:
    | { exchange: string; type?: DualPublish['type']; envSwitch: string; default?: boolean }
    | undefined,
) {
  return (
    extension && {
      exchange: extension.exchange,
      type: extension.type ?? 'fanout',
      envSwitch: extension.envSwitch,
      defaultOn: extension.default ?? true,
    }
  );
}

/** The messages an operation lists (by their id in the channel), or all of the channel's when it lists none. */
function operationMessages(operation: Record<string, unknown>, draft: ChannelDraft): Message[] {
  if (!Array.isArray(operation.messages)) return [...draft.messages.values()];
  return operation.messages.flatMap((message) => {
    const id = isRecord(message) ? text(message[PARSER_ID]) : undefined;
    const byId = id === undefined ? undefined : draft.messages.get(id);
    const byName = isRecord(message)
      ? [...draft.messages.values()].find((m) => m.name === message.name)
      : undefined;
    const found = byId ?? byName;
    return found ? [found] : [];
  });
}

function checkPlacement(
  ctx: BuildContext,
  operation: Record<string, unknown>,
  action: string,
  source: SourceRef,
) {
  const misplaced = action === 'send' ? RECEIVE_ONLY : SEND_ONLY;
  for (const name of misplaced.filter((key) => key in operation)) {
    ctx.report('warning', 'misplaced-extension', `${name} has no effect on a ${action} operation`, {
      ...source,
      pointer: childPointer(source.pointer, name),
    });
  }
}

export function buildOperations(
  ctx: BuildContext,
  doc: ParsedDocument,
  drafts: ReadonlyMap<string, ChannelDraft>,
  channels: ReadonlyMap<string, Channel>,
  service: string,
): Operation[] {
  const operations: Operation[] = [];
  for (const [id, operation] of sortedEntries(doc.resolved.operations)) {
    const action = operation.action;
    const channelId = isRecord(operation.channel) ? text(operation.channel[PARSER_ID]) : undefined;
    const draft = channelId === undefined ? undefined : drafts.get(channelId);
    const channel = draft && channels.get(draft.key);
    if ((action !== 'send' && action !== 'receive') || !draft || !channel) continue;
    const source = ctx.source(doc, childPointer('/operations', id));
    checkPlacement(ctx, operation, action, source);
    const summary = text(operation.summary);
    const agreement = sla(ctx.extension<SlaExtension>(operation, 'x-eventwire-sla'));
    const dual =
      action === 'send' ? dualPublish(ctx.extension(operation, 'x-eventwire-dual-publish')) : undefined;
    const messages = operationMessages(operation, draft);
    if (messages.length === 0 && channel.messages.length === 0) {
      // Valid AsyncAPI, but nothing to type: every publisher method and handler is typed by its message.
      ctx.report(
        'error',
        'operation-without-message',
        `operation "${id}" has no message, and neither has its channel: eventwire types every ${action} ` +
          'by the message it carries, so it cannot generate this operation',
        source,
        `list the message it ${action}s under "messages" (or on its channel "${draft.id}")`,
      );
    }
    operations.push({
      id,
      action,
      service,
      channel,
      messages,
      servers: draft.servers,
      ...(summary ? { summary } : {}),
      ...(agreement ? { sla: agreement } : {}),
      ...(action === 'receive'
        ? { delivery: buildDelivery(ctx, { id, operation, channel: draft, service, source }) }
        : {}),
      ...(dual ? { dualPublish: dual } : {}),
      source,
    });
  }
  return operations;
}
