/**
 * The platform topology as a Mermaid flowchart: services are nodes, an arrow means "publishes events that this
 * service subscribes to", labelled with the event types; dashed arrows carry dead letters to the service that
 * monitors them. One arrow per pair of services keeps a 20-service platform legible.
 */
import { compareText } from '../../parse/compare.ts';
import type { Service } from '../../model/types.ts';
import type { Flow, Wiring } from './flows.ts';
import { codeBlock, type Md } from './markdown.ts';

/** Mermaid entity codes: labels are quoted, so only quotes and what Mermaid reads as markup need escaping. */
export function mermaidLabel(raw: string): string {
  const escaped = raw.replace(/[#"<>]/g, (c) => `#${c.charCodeAt(0)};`);
  return `"${escaped}"`;
}

/** Node ids are plain identifiers; a suffix keeps two names that sanitise alike apart. */
function nodeIds(services: readonly Service[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const service of services) {
    const base = `svc_${service.name.replace(/[^A-Za-z0-9]/g, '_')}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(service.name, id);
  }
  return ids;
}

/** Flows grouped by (from service, to service), each with its distinct event types, sorted. */
function pairs(flows: readonly Flow[]): [from: string, to: string, eventTypes: string[]][] {
  const grouped = new Map<string, Set<string>>();
  for (const flow of flows) {
    const key = `${flow.from.service}\n${flow.to.service}`;
    const types = grouped.get(key) ?? new Set<string>();
    for (const type of flow.eventTypes) types.add(type);
    grouped.set(key, types);
  }
  return [...grouped]
    .sort(([a], [b]) => compareText(a, b))
    .map(([key, types]) => {
      const [from = '', to = ''] = key.split('\n');
      return [from, to, [...types].sort(compareText)];
    });
}

export function topologyDiagram(services: readonly Service[], wiring: Wiring): Md {
  const ids = nodeIds(services);
  const id = (service: string) => ids.get(service) ?? 'unknown';
  const lines = ['flowchart LR'];
  for (const service of services) lines.push(`  ${id(service.name)}[${mermaidLabel(service.name)}]`);
  for (const [from, to, types] of pairs(wiring.flows)) {
    const label = types.map((t) => mermaidLabel(t).slice(1, -1)).join('<br/>');
    lines.push(`  ${id(from)} -->|"${label}"| ${id(to)}`);
  }
  for (const [from, to] of pairs(wiring.deadLetters)) {
    lines.push(`  ${id(from)} -.->|${mermaidLabel('dead letters')}| ${id(to)}`);
  }
  return codeBlock('mermaid', lines.join('\n'));
}
