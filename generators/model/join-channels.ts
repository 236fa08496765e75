/**
 * Joins the channel drafts of all documents by key. The definition of a document that sends on the channel
 * wins (the publisher owns the channel); messages are the union of what every document lists; a different
 * binding or ordering policy for the same key is reported, since consumers would disagree with the publisher.
 */
import { compareText } from '../parse/compare.ts';
import { isRecord } from '../parse/pointer.ts';
import type { ParsedDocument } from '../parse/types.ts';
import type { BuildContext } from './build-context.ts';
import type { ChannelDraft } from './build-channels.ts';
import type { Channel, Message } from './types.ts';

export interface DocumentChannels {
  readonly doc: ParsedDocument;
  readonly drafts: ReadonlyMap<string, ChannelDraft>;
}

/** Ids of the channels this document's send operations use. */
function sendingChannels(doc: ParsedDocument): Set<string> {
  const ids = new Set<string>();
  const operations = isRecord(doc.resolved.operations) ? doc.resolved.operations : {};
  for (const operation of Object.values(operations)) {
    if (isRecord(operation) && operation.action === 'send' && isRecord(operation.channel)) {
      const id = operation.channel['x-parser-unique-object-id'];
      if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}

function checkAgreement(ctx: BuildContext, owner: ChannelDraft, other: ChannelDraft): void {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const where = `${owner.source.file}#${owner.source.pointer}`;
  if (!same(owner.binding, other.binding)) {
    ctx.report(
      'warning',
      'channel-conflict',
      `channel "${other.key}" is bound differently than in ${where}`,
      other.source,
    );
  }
  if (other.ordering && !same(owner.ordering, other.ordering)) {
    ctx.report(
      'warning',
      'channel-conflict',
      `channel "${other.key}" declares another x-eventwire-ordering than ${where}`,
      other.source,
      "declare the ordering policy once, on the publisher's channel",
    );
  }
}

export function joinChannels(
  ctx: BuildContext,
  documents: readonly DocumentChannels[],
): Map<string, Channel> {
  const groups = new Map<string, Array<{ draft: ChannelDraft; sends: boolean }>>();
  for (const { doc, drafts } of documents) {
    const sending = sendingChannels(doc);
    for (const draft of drafts.values()) {
      const group = groups.get(draft.key) ?? [];
      group.push({ draft, sends: sending.has(draft.id) });
      groups.set(draft.key, group);
    }
  }
  const channels = new Map<string, Channel>();
  for (const key of [...groups.keys()].sort(compareText)) {
    const group = groups.get(key) ?? [];
    const owner = (group.find((entry) => entry.sends) ?? group[0])?.draft;
    if (!owner) continue;
    const messages = new Map<string, Message>();
    // The owner's messages first: a subscriber's own view of an event never replaces the published one.
    for (const message of owner.messages.values()) messages.set(message.name, message);
    for (const { draft } of group) {
      if (draft === owner) continue;
      checkAgreement(ctx, owner, draft);
      for (const message of draft.messages.values())
        if (!messages.has(message.name)) messages.set(message.name, message);
    }
    const ordering = owner.ordering ?? group.find(({ draft }) => draft.ordering)?.draft.ordering;
    channels.set(key, {
      key,
      id: owner.id,
      address: owner.address,
      parameters: owner.parameters,
      binding: owner.binding,
      messages: [...messages.values()].sort((a, b) => compareText(a.name, b.name)),
      ...(ordering ? { ordering } : {}),
      source: owner.source,
    });
  }
  return channels;
}
