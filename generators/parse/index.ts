/** Loading and checking AsyncAPI contract documents; the model builder (generators/model) reads the result. */
export { formatDiagnostic, formatDiagnosticLine } from '../diagnostics/format.ts';
export { sortDiagnostics } from '../diagnostics/diagnostic.ts';
export type { Location } from './files.ts';
export { ContractFiles } from './files.ts';
export { loadDocuments } from './load.ts';
export type {
  Diagnostic,
  ParseCode,
  LoadOptions,
  LoadResult,
  LoadTimings,
  ParsedDocument,
  RefusedDocument,
} from './types.ts';
