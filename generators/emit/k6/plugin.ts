/**
 * k6 load-test scripts, one per publishing service, under `loadtest/<service>.k6.ts` of the output directory,
 * and the k6 library they import beside them (`loadtest/lib/`, see library.ts): the output runs with
 * `k6 run` in any project, with nothing outside it.
 */
import type { ContractModel } from '../../model/types.ts';
import type { EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import { k6Library, LIBRARY_ENTRY } from './library.ts';
import { k6Script } from './script.ts';

export const SCRIPTS_DIR = 'loadtest';

export const k6Plugin: EmitterPlugin = {
  name: 'k6',
  description:
    'k6 load-test scripts per publishing service: contract volumes as scenarios, SLAs as thresholds',
  emit(model: ContractModel): readonly GeneratedFile[] {
    const scripts = model.services.flatMap((service): GeneratedFile[] => {
      const contents = k6Script(model, service, LIBRARY_ENTRY);
      if (contents === undefined) return [];
      return [
        {
          path: `${SCRIPTS_DIR}/${service.name}.k6.ts`,
          contents,
          ownership: 'generated',
          sources: [service.source.file],
        },
      ];
    });
    return scripts.length > 0 ? [...scripts, ...k6Library(SCRIPTS_DIR)] : [];
  },
};
