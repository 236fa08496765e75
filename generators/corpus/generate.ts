/**
 * One corpus document through the whole generator, as `eventwire generate` runs it: load and check the
 * contract, build the model, render every emitter plugin, write the files. The outcome is generated, refused
 * (Diagnostics, the user's answer) or crashed (anything thrown: always a bug of ours).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { allPlugins } from '../emit/index.ts';
import { type Diagnostic, loadModel } from '../model/index.ts';
import type { ContractModel } from '../model/types.ts';
import { renderFiles } from '../pipeline/render.ts';
import { type CorpusDocument, REPO_ROOT } from './documents.ts';

export interface GeneratedCounts {
  readonly sends: number;
  readonly receives: number;
  readonly messages: number;
}

export type Outcome =
  | {
      readonly kind: 'generated';
      readonly counts: GeneratedCounts;
      /** Paths relative to the output folder, sorted. */
      readonly files: readonly string[];
      readonly warnings: readonly Diagnostic[];
    }
  | { readonly kind: 'refused'; readonly errors: readonly Diagnostic[] }
  | { readonly kind: 'crashed'; readonly error: string };

function counts(model: ContractModel): GeneratedCounts {
  const operations = model.services.flatMap((service) => service.operations);
  const messages = new Set([...model.channels.values()].flatMap((c) => c.messages.map((m) => m.name)));
  return {
    sends: operations.filter((o) => o.action === 'send').length,
    receives: operations.filter((o) => o.action === 'receive').length,
    messages: messages.size,
  };
}

/** Generates one document into `outDir` (its own folder: documents of the corpus share service names). */
export async function generateDocument(
  document: CorpusDocument,
  corpus: string,
  outDir: string,
): Promise<Outcome> {
  try {
    // Documents of one project reference its shared files (`../common/`): the corpus is the refs root.
    const { model, errors, warnings } = await loadModel([document.absPath], {
      root: corpus,
      refsRoot: corpus,
    });
    if (errors.length > 0) return { kind: 'refused', errors };
    // As `eventwire generate --out <outDir>` run from the project root.
    const fromRoot = path.relative(REPO_ROOT, outDir).split(path.sep).join('/');
    const files = await renderFiles(model, allPlugins, { outDir: fromRoot });
    for (const file of files) {
      const target = path.join(outDir, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.contents);
    }
    return {
      kind: 'generated',
      counts: counts(model),
      files: files.map((file) => file.path),
      warnings,
    };
  } catch (error) {
    return {
      kind: 'crashed',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}
