/**
 * The one entry for reading contracts: load and check the documents, build the model, and report every
 * problem as a ContractError (errors stop generation; warnings are shown).
 */
import { sortErrors } from '../parse/errors.ts';
import type { ContractFiles } from '../parse/files.ts';
import { loadDocuments } from '../parse/load.ts';
import type { ContractError, LoadOptions, LoadTimings, RefusedDocument } from '../parse/types.ts';
import { buildModel } from './build.ts';
import type { ContractModel, ModelDiagnostic } from './types.ts';

export { formatError } from '../parse/errors.ts';
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
  };
}

export async function loadModel(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedModel> {
  const loaded = await loadDocuments(paths, options);
  const started = performance.now();
  const model = buildModel(loaded.documents);
  const buildMs = performance.now() - started;
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
