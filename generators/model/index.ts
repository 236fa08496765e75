/**
 * The one entry for reading contracts: load and check the documents, build the model, and report every
 * problem as a Diagnostic (errors stop generation; warnings are shown).
 */
import { type Diagnostic, isError, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { stageLoad } from '../parse/load.ts';
import type { LoadOptions, LoadResult, LoadTimings, RefusedDocument } from '../parse/types.ts';
import { buildModel } from './build.ts';
import type { ContractModel } from './types.ts';

export type { Diagnostic } from '../diagnostics/diagnostic.ts';
export { formatDiagnostic, formatDiagnosticLine, formatDiagnostics } from '../diagnostics/format.ts';
export type { LoadOptions } from '../parse/types.ts';
export { buildModel } from './build.ts';

export interface LoadedModel {
  readonly model: ContractModel;
  /** Every problem found, reading the documents (stage `parse`) and building the model (`model.diagnostics`), sorted. */
  readonly diagnostics: readonly Diagnostic[];
  /** The diagnostics of severity error, whoever found them: any of them stops generation. */
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  /** Documents left out of the model, with the reasons. */
  readonly refused: readonly RefusedDocument[];
  readonly timings: LoadTimings & { readonly buildMs: number };
}

export interface StagedModel {
  /**
   * The model of every document that passed the checks made before the parser's validation, built while the
   * parser validates on worker threads; undefined when nothing could be built. A caller may render from it
   * speculatively: when `final` has no error, its model is this very object.
   */
  readonly provisional: ContractModel | undefined;
  readonly final: Promise<LoadedModel>;
}

function modelOf(loaded: LoadResult, model: ContractModel, buildMs: number): LoadedModel {
  const diagnostics = sortDiagnostics([...loaded.errors, ...loaded.warnings, ...model.diagnostics]);
  return {
    model,
    diagnostics,
    errors: diagnostics.filter(isError),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
    refused: loaded.refused,
    timings: { ...loaded.timings, buildMs },
  };
}

function timedBuild(documents: LoadResult['documents']): { model: ContractModel; buildMs: number } {
  const started = performance.now();
  const model = buildModel(documents);
  return { model, buildMs: performance.now() - started };
}

export async function stageModel(paths: readonly string[], options: LoadOptions = {}): Promise<StagedModel> {
  const staged = await stageLoad(paths, options);
  let early: { model: ContractModel; buildMs: number } | undefined;
  try {
    early = timedBuild(staged.provisional.documents);
  } catch {
    // Documents the parser has not validated yet may hold what the builder does not expect: the final model
    // is built from the validated ones.
  }
  const final = staged.final.then((loaded) => {
    const same =
      early !== undefined &&
      loaded.documents.length === staged.provisional.documents.length &&
      loaded.documents.every((doc, index) => doc === staged.provisional.documents[index]);
    const { model, buildMs } = same && early ? early : timedBuild(loaded.documents);
    return modelOf(loaded, model, buildMs);
  });
  return { provisional: early?.model, final };
}

export async function loadModel(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedModel> {
  return (await stageModel(paths, options)).final;
}
