/**
 * Runs every emitter plugin over the model and turns their output into the exact bytes to write:
 * headers stamped, paths checked, files sorted, manifest added. Pure apart from the plugins themselves,
 * so `generate` and `generate --check` compare the very same bytes.
 */
import { posix } from 'node:path';
import type { ContractModel } from '../model/types.ts';
import { withHeader } from './header.ts';
import { MANIFEST_NAME, renderManifest } from './manifest.ts';
import type { EmitContext, EmitterPlugin, GeneratedFile } from './plugin.ts';

export interface RenderedFile {
  readonly path: string;
  readonly contents: string;
  readonly ownership: GeneratedFile['ownership'];
  readonly plugin: string;
}

export class PluginOutputError extends Error {
  override readonly name = 'PluginOutputError';
}

function checkPath(plugin: string, path: string): void {
  const normal = posix.normalize(path);
  if (normal !== path || path.startsWith('/') || path.startsWith('..') || path.includes('\\')) {
    throw new PluginOutputError(`emitter "${plugin}" produced an invalid output path "${path}"`);
  }
}

export async function renderFiles(
  model: ContractModel,
  plugins: readonly EmitterPlugin[],
  context: EmitContext,
): Promise<RenderedFile[]> {
  const byPath = new Map<string, RenderedFile>();
  const outputs = await Promise.all(
    plugins.map(async (plugin) => ({ plugin, files: await plugin.emit(model, context) })),
  );
  for (const { plugin, files } of outputs) {
    for (const file of files) {
      checkPath(plugin.name, file.path);
      const previous = byPath.get(file.path);
      if (previous) {
        throw new PluginOutputError(
          `emitters "${previous.plugin}" and "${plugin.name}" both produce "${file.path}"`,
        );
      }
      const contents = withHeader(file.path, file.contents, file.sources ?? [], file.ownership);
      byPath.set(file.path, { path: file.path, contents, ownership: file.ownership, plugin: plugin.name });
    }
  }
  const owned = [...byPath.values()].filter((f) => f.ownership === 'generated').map((f) => f.path);
  byPath.set(MANIFEST_NAME, {
    path: MANIFEST_NAME,
    contents: renderManifest(owned),
    ownership: 'generated',
    plugin: 'manifest',
  });
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
