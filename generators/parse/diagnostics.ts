/** Parser (Spectral) diagnostics as ContractErrors, located at the file and pointer where the problem was written. */
import type { Diagnostic } from '@asyncapi/parser';
import { contractError } from './errors.ts';
import type { ContractFiles } from './files.ts';
import { pointerOf } from './pointer.ts';
import type { ContractError, ContractErrorCode } from './types.ts';

const SEVERITY_ERROR = 0;
const SEVERITY_WARNING = 1;

/** Segments under which the document holds schemas: errors there are schema errors. */
const SCHEMA_SEGMENTS = new Set(['payload', 'headers', 'schemas', 'schema']);

function codeFor(diagnostic: Diagnostic, segments: readonly string[]): ContractErrorCode {
  if (diagnostic.code === 'invalid-ref') return 'unresolved-ref';
  if (diagnostic.code === 'uncaught-error') return 'parser-failure';
  if (diagnostic.severity !== SEVERITY_ERROR) return 'parser-warning';
  return segments.some((s) => SCHEMA_SEGMENTS.has(s)) ? 'invalid-schema' : 'invalid-document';
}

function hintFor(code: ContractErrorCode, message: string): string | undefined {
  const unknownProperty = /^property "([^"]+)" is not allowed here$/.exec(message)?.[1];
  if (unknownProperty && !unknownProperty.startsWith('x-')) {
    return 'remove it, or name custom fields with an "x-" prefix';
  }
  if (code === 'invalid-schema') return 'payload and header schemas are JSON Schema (draft-07) objects';
  if (code === 'parser-failure')
    return 'the AsyncAPI parser stopped on this document; check the structure around it';
  return undefined;
}

export function diagnosticToError(
  files: ContractFiles,
  documentPath: string,
  diagnostic: Diagnostic,
): ContractError {
  const segments = (diagnostic.path ?? []).map(String);
  const location = files.origin(documentPath, pointerOf(segments));
  const code = codeFor(diagnostic, segments);
  const message = String(diagnostic.message).split('\n')[0] ?? '';
  // Located through the files rather than the parser's ranges: those point into the resolved (or converted)
  // text, not always at the file where the problem was written.
  return contractError(files, location, code, message, hintFor(code, message));
}

export interface SortedDiagnostics {
  readonly errors: ContractError[];
  readonly warnings: ContractError[];
}

/** Errors and warnings; information and hints (style suggestions) are the linter's business, not the loader's. */
export function sortDiagnostics(
  files: ContractFiles,
  documentPath: string,
  diagnostics: readonly Diagnostic[],
): SortedDiagnostics {
  const errors: ContractError[] = [];
  const warnings: ContractError[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity === SEVERITY_ERROR)
      errors.push(diagnosticToError(files, documentPath, diagnostic));
    else if (diagnostic.severity === SEVERITY_WARNING)
      warnings.push(diagnosticToError(files, documentPath, diagnostic));
  }
  return { errors, warnings };
}
