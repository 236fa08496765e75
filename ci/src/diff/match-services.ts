/**
 * Pairs the services of two versions of the contracts: by name first; then a service that disappeared while
 * another appeared from the same document file is the same service renamed (a document without
 * `x-eventwire-service` is named after its `info.title`, so editing the title renames it). Everything else was
 * removed or added. Two single-document versions (`eventwire diff old.yaml new.yaml`) hold one service each:
 * those two are the same service whatever their names.
 */
import type { Service } from '../../../generators/model/types.ts';
import { compareText } from '../../../generators/parse/compare.ts';

export interface ServicePair {
  readonly old?: Service;
  readonly new?: Service;
}

export function pairServices(
  oldServices: readonly Service[],
  newServices: readonly Service[],
): ServicePair[] {
  const newByName = new Map(newServices.map((service) => [service.name, service]));
  const pairs: ServicePair[] = [];
  const leftOld: Service[] = [];
  const usedNew = new Set<Service>();
  for (const service of oldServices) {
    const match = newByName.get(service.name);
    if (match) {
      pairs.push({ old: service, new: match });
      usedNew.add(match);
    } else leftOld.push(service);
  }
  for (const service of leftOld) {
    const single = oldServices.length === 1 && newServices.length === 1;
    const match = newServices.find(
      (candidate) => !usedNew.has(candidate) && (single || candidate.source.file === service.source.file),
    );
    if (match) usedNew.add(match);
    pairs.push(match ? { old: service, new: match } : { old: service });
  }
  for (const service of newServices) if (!usedNew.has(service)) pairs.push({ new: service });
  const name = (pair: ServicePair) => (pair.new ?? pair.old)?.name ?? '';
  return pairs.sort((a, b) => compareText(name(a), name(b)));
}
