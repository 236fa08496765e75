/**
 * The one entry for reading contracts: load and check the documents, build the model, and report every
 * problem as a ContractError (errors stop generation; warnings are shown).
 */
import { sortErrors } from '../parse/errors.ts';
import type { ContractFiles } from '../parse/files.ts';
import { stageLoad } from '../parse/load.ts';
import type { ContractError, LoadOptions, LoadResult, LoadTimings, RefusedDocument } from '../parse/types.ts';
import { buildModel } from './build.ts';
import type { ContractModel, ModelDiagnostic } from './types.ts';

export { formatError, formatProblem } from '../parse/errors.ts';
export type { ContractError, LoadOptions } from '../parse/types.ts';
export { buildModel } from './build.ts';

export interface LoadedModel {
  readonly model: ContractModel;
  readonly errors: readonly ContractError[];
  readonly warnings: readonly ContractError[];
  /** Documents left out of the model, with the reasons. */
  readonly refused: readonly RefusedDocument[];
  readonly timings: LoadTimings & { readonly buildMs: number };
}

/** A model diagnostic as a ContractError, with the line and column of its source. */
export function diagnosticToContractError(files: ContractFiles, diagnostic: ModelDiagnostic): ContractError {
  const location = { file: files.absolute(diagnostic.source.file), pointer: diagnostic.source.pointer };
  // A converted 1.x/2.x file: only places that exist in the file as written have a line.
  const findable = !files.hasConvertedView(location.file) || files.resolve(location) !== undefined;
  const position = findable ? files.locate(location) : undefined;
  return {
    code: diagnostic.code,
    file: diagnostic.source.file,
    ...(position ? { line: position.line, column: position.column } : {}),
    pointer: diagnostic.source.pointer,
    message: diagnostic.message,
    ...(diagnostic.hint ? { hint: diagnostic.hint } : {}),
    stage: 'model',
  };
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
  const bySeverity = (severity: ModelDiagnostic['severity']) =>
    model.diagnostics
      .filter((d) => d.severity === severity)
      .map((d) => diagnosticToContractError(loaded.files, d));
  return {
    model,
    errors: sortErrors([...loaded.errors, ...bySeverity('error')]),
    warnings: sortErrors([...loaded.warnings, ...bySeverity('warning')]),
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
