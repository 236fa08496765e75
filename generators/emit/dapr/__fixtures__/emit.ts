/** Runs every Dapr plugin over a model and returns the files by path. */
import { fileURLToPath } from 'node:url';
import type { ContractModel } from '../../../model/types.ts';
import type { GeneratedFile } from '../../../pipeline/plugin.ts';
import { daprPlugins } from '../index.ts';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export async function emitDapr(model: ContractModel): Promise<Map<string, GeneratedFile>> {
  const files = new Map<string, GeneratedFile>();
  for (const plugin of daprPlugins) {
    for (const file of await plugin.emit(model, { outDir: 'generated' })) {
      if (files.has(file.path)) throw new Error(`two Dapr plugins wrote ${file.path}`);
      files.set(file.path, file);
    }
  }
  return files;
}
