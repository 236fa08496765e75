/**
 * k6 load-test scripts, one per publishing service, under `loadtest/<service>.k6.ts` of the output directory.
 * They import the hand-written harness in the project's `loadtest/lib`, addressed relative to the output
 * directory (both live in the project root).
 */
import { posix } from 'node:path';
import type { ContractModel } from '../../model/types.ts';
import type { EmitContext, EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import { k6Script } from './script.ts';

export const SCRIPTS_DIR = 'loadtest';

/** `generated` -> `../../loadtest/lib/index.ts`, from `generated/loadtest/<service>.k6.ts`. */
export function harnessModule(outDir: string): string {
  const from = posix.join(outDir.split('\\').join('/'), SCRIPTS_DIR);
  return posix.relative(from, 'loadtest/lib/index.ts');
}

export const k6Plugin: EmitterPlugin = {
  name: 'k6',
  description:
    'k6 load-test scripts per publishing service: contract volumes as scenarios, SLAs as thresholds',
  emit(model: ContractModel, context: EmitContext): readonly GeneratedFile[] {
    const harness = harnessModule(context.outDir);
    return model.services.flatMap((service) => {
      const contents = k6Script(model, service, harness);
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
  },
};
