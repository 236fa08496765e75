/**
 * The event catalogue: every event type of the platform with the operations that publish and consume it, and
 * where each page lives. An event's schema is the publisher's (consumers `$ref` the same definition); a type
 * only consumed here (published outside these contracts) is described by its first consumer.
 */
import { compareText } from '../../parse/compare.ts';
import type { ContractModel, Message, Operation } from '../../model/types.ts';

export interface CatalogueEntry {
  readonly message: Message;
  readonly publishers: readonly Operation[];
  readonly consumers: readonly Operation[];
}

const byServiceAndId = (a: Operation, b: Operation) =>
  compareText(a.service, b.service) || compareText(a.id, b.id);

export function eventCatalogue(model: ContractModel): CatalogueEntry[] {
  type Draft = { published?: Message; consumed?: Message; publishers: Operation[]; consumers: Operation[] };
  const entries = new Map<string, Draft>();
  for (const service of model.services) {
    for (const operation of service.operations) {
      for (const message of operation.messages) {
        const entry = entries.get(message.name) ?? { publishers: [], consumers: [] };
        if (operation.action === 'send') {
          entry.publishers.push(operation);
          entry.published ??= message;
        } else {
          entry.consumers.push(operation);
          entry.consumed ??= message;
        }
        entries.set(message.name, entry);
      }
    }
  }
  return [...entries]
    .sort(([a], [b]) => compareText(a, b))
    .map(([, entry]) => ({
      // Every draft was created for a message, so one of the two is set.
      message: (entry.published ?? entry.consumed)!,
      publishers: [...new Set(entry.publishers)].sort(byServiceAndId),
      consumers: [...new Set(entry.consumers)].sort(byServiceAndId),
    }));
}

/** Page paths, relative to the docs folder; file names keep the event type readable and path-safe. */
export const docsPath = {
  index: 'index.md',
  service: (name: string) => `services/${safeFileName(name)}.md`,
  event: (name: string) => `events/${safeFileName(name)}.md`,
};

function safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\.+/, '');
  return safe === '' ? 'unnamed' : safe;
}
