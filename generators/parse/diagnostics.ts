/** Parser (Spectral) diagnostics as eventwire Diagnostics (stage `parse`), located at the file and pointer where the problem was written. */
import type { Diagnostic as ParserDiagnostic } from '@asyncapi/parser';
import { contractError } from './errors.ts';
import type { ContractFiles } from './files.ts';
import { pointerOf } from './pointer.ts';
import type { Diagnostic, ParseCode } from './types.ts';

const SEVERITY_ERROR = 0;
const SEVERITY_WARNING = 1;

/** Segments under which the document holds schemas: errors there are schema errors. */
const SCHEMA_SEGMENTS = new Set(['payload', 'headers', 'schemas', 'schema']);

function codeFor(diagnostic: ParserDiagnostic, segments: readonly string[]): ParseCode {
  if (diagnostic.code === 'invalid-ref') return 'unresolved-ref';
  if (diagnostic.code === 'uncaught-error') return 'parser-failure';
  if (diagnostic.severity !== SEVERITY_ERROR) return 'parser-warning';
  return invalidCode(segments);
}

/** An error in the document's structure: in a schema (payload, headers, components) or elsewhere. */
export function invalidCode(segments: readonly string[]): ParseCode {
  return segments.some((s) => SCHEMA_SEGMENTS.has(s)) ? 'invalid-schema' : 'invalid-document';
}

export function hintFor(
  code: ParseCode,
  message: string,
  schemaFormat: string | undefined,
): string | undefined {
  const unknownProperty = /^property "([^"]+)" is not allowed here$/.exec(message)?.[1];
  if (unknownProperty && !unknownProperty.startsWith('x-')) {
    return 'remove it, or name custom fields with an "x-" prefix';
  }
  if (code === 'invalid-schema' && schemaFormat?.startsWith('application/vnd.apache.avro'))
    return `this payload is an Avro schema (schemaFormat ${schemaFormat}): records need "name" and "fields", each field a string "name" and a "type"`;
  if (code === 'invalid-schema') return 'payload and header schemas are JSON Schema (draft-07) objects';
  if (code === 'parser-failure')
    return 'the AsyncAPI parser stopped on this document; check the structure around it';
  return undefined;
}

export function diagnosticToError(
  files: ContractFiles,
  documentPath: string,
  diagnostic: ParserDiagnostic,
): Diagnostic {
  const segments = (diagnostic.path ?? []).map(String);
  const location = files.origin(documentPath, pointerOf(segments));
  const code = codeFor(diagnostic, segments);
  const message = String(diagnostic.message).split('\n')[0] ?? '';
  // Located through the files rather than the parser's ranges: those point into the resolved (or converted)
  // text, not always at the file where the problem was written.
  const hint = hintFor(code, message, schemaFormatAround(files, documentPath, segments));
  const severity = diagnostic.severity === SEVERITY_ERROR ? 'error' : 'warning';
  return contractError(files, location, code, message, hint, severity);
}

/** The `schemaFormat` beside a multi-format schema (`.../payload/schema/...`) the problem is in, if any. */
export function schemaFormatAround(
  files: ContractFiles,
  documentPath: string,
  segments: readonly string[],
): string | undefined {
  const at = segments.findIndex(
    (segment, i) => segment === 'schema' && (segments[i - 1] === 'payload' || segments[i - 1] === 'headers'),
  );
  if (at < 0) return undefined;
  const location = files.origin(documentPath, pointerOf([...segments.slice(0, at), 'schemaFormat']));
  const format = files.resolve(location)?.node;
  return typeof format === 'string' ? format : undefined;
}

export interface SplitDiagnostics {
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
}

/** Errors and warnings; information and hints (style suggestions) are the linter's business, not the loader's. */
export function splitParserDiagnostics(
  files: ContractFiles,
  documentPath: string,
  diagnostics: readonly ParserDiagnostic[],
): SplitDiagnostics {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity === SEVERITY_ERROR)
      errors.push(diagnosticToError(files, documentPath, diagnostic));
    else if (diagnostic.severity === SEVERITY_WARNING)
      warnings.push(diagnosticToError(files, documentPath, diagnostic));
  }
  return { errors, warnings };
}
