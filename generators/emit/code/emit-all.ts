/** Helpers for the code emitter tests that run every code plugin over a model. */
import type { ContractModel } from '../../model/types.ts';
import type { GeneratedFile } from '../../pipeline/plugin.ts';
import { codePlugins } from './index.ts';

/** Runs every code plugin over a model; files sorted by path, as the pipeline would order them. */
export async function emitAll(contractModel: ContractModel): Promise<GeneratedFile[]> {
  const outputs = await Promise.all(codePlugins.map((p) => p.emit(contractModel, { outDir: 'generated' })));
  return outputs.flat().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The contents of one emitted file, failing loudly when the plugin did not produce it. */
export function fileText(files: readonly GeneratedFile[], path: string): string {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no file ${path}; produced: ${files.map((f) => f.path).join(', ')}`);
  return file.contents;
}
