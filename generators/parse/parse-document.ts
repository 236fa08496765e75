/**
 * Validates one prepared document with the AsyncAPI parser: the document structure against the official
 * JSON Schema of its version, payload schemas, references, and the parser's AsyncAPI rules.
 *
 * A 1.x/2.x document is validated twice: as written, against the schema of its own version (so errors point
 * at its lines), then as converted; what the conversion leaves imperfect (binding versions it does not
 * upgrade) must not refuse a valid document, so errors of the converted form are warnings.
 */
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { sortDiagnostics } from './diagnostics.ts';
import { contractError } from './errors.ts';
import type { ContractFiles } from './files.ts';
import type { ParserHandle } from './parser.ts';
import type { Candidate } from './prepare.ts';
import type { ContractError } from './types.ts';

export interface Validation {
  readonly errors: readonly ContractError[];
  readonly warnings: readonly ContractError[];
  /** The parser's document, when the document is valid. */
  readonly document?: AsyncAPIDocumentInterface;
}

async function run(
  handle: ParserHandle,
  files: ContractFiles,
  candidate: Candidate,
  input: string | object,
  lenient: boolean,
) {
  const { absPath } = candidate;
  try {
    // What fromFile(parser, absPath).parse() does, on the text already read and checked: `source` makes
    // relative $refs resolve from the document's folder.
    const validateOptions = lenient ? { allowedSeverity: { error: true } } : {};
    const output = await handle.parser.parse(input as string, { source: absPath, validateOptions });
    return { output, ...sortDiagnostics(files, absPath, output.diagnostics) };
  } catch (error) {
    const message = `the AsyncAPI parser failed: ${(error as Error).message}`;
    return {
      output: undefined,
      errors: [contractError(files, { file: absPath, pointer: '' }, 'parser-failure', message)],
      warnings: [],
    };
  }
}

export async function validateCandidate(
  handle: ParserHandle,
  files: ContractFiles,
  candidate: Candidate,
): Promise<Validation> {
  const original = await run(handle, files, candidate, candidate.text, false);
  if (original.errors.length > 0) return { errors: original.errors, warnings: original.warnings };
  if (!candidate.legacy) {
    if (!original.output?.document) {
      const message = 'the AsyncAPI parser returned no document and no error';
      return {
        errors: [contractError(files, { file: candidate.absPath, pointer: '' }, 'parser-failure', message)],
        warnings: [],
      };
    }
    return { errors: [], warnings: original.warnings, document: original.output.document };
  }
  const converted = await run(handle, files, candidate, candidate.legacy.converted, true);
  const afterConversion = (error: ContractError): ContractError => ({
    ...error,
    code: 'converted-document',
    message: `after conversion to 3.0.0: ${error.message}`,
  });
  const warnings = [...converted.errors.map(afterConversion), ...converted.warnings];
  if (!converted.output?.document) return { errors: converted.errors, warnings: [] };
  return { errors: [], warnings, document: converted.output.document };
}
