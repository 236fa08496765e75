/**
 * Platform documentation in Markdown under `docs/`: an index with the topology, a page per service and a page
 * per event type. Pages are built from the contract model with the typed Markdown helpers, so contract text is
 * always escaped and output is byte-identical for the same contracts.
 */
import type { ContractModel } from '../../model/types.ts';
import type { EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import { docsPath, eventCatalogue } from './catalogue.ts';
import { eventPage } from './event-page.ts';
import { wiring } from './flows.ts';
import { indexPage } from './index-page.ts';
import { servicePage } from './service-page.ts';

const inDocs = (path: string) => `docs/${path}`;

export const docsPlugin: EmitterPlugin = {
  name: 'docs',
  description:
    'Markdown documentation: platform index with topology diagram, one page per service and event type',
  emit(model: ContractModel): readonly GeneratedFile[] {
    const wired = wiring(model);
    const catalogue = eventCatalogue(model);
    const allSources = [...new Set(model.services.map((s) => s.source.file))].sort();
    const services = model.services.map((service) => ({
      path: inDocs(docsPath.service(service.name)),
      contents: servicePage(service, model.services, wired),
      ownership: 'generated' as const,
      sources: [service.source.file],
    }));
    const events = catalogue.map((entry) => ({
      path: inDocs(docsPath.event(entry.message.name)),
      contents: eventPage(entry),
      ownership: 'generated' as const,
      sources: [
        ...new Set([...entry.publishers, ...entry.consumers].map((op) => sourceFileOf(model, op.service))),
      ].sort(),
    }));
    const index = {
      path: inDocs(docsPath.index),
      contents: indexPage(model, wired, catalogue),
      ownership: 'generated' as const,
      sources: allSources,
    };
    return [index, ...services, ...events];
  },
};

function sourceFileOf(model: ContractModel, service: string): string {
  return model.services.find((s) => s.name === service)?.source.file ?? service;
}
