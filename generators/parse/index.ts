/** Loading and checking AsyncAPI contract documents; the model builder (generators/model) reads the result. */
export { formatError, formatProblem, sortErrors } from './errors.ts';
export type { Location } from './files.ts';
export { ContractFiles } from './files.ts';
export { loadDocuments } from './load.ts';
export type {
  ContractError,
  ContractErrorCode,
  LoadOptions,
  LoadResult,
  LoadTimings,
  ParsedDocument,
  RefusedDocument,
} from './types.ts';
