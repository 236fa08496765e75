/**
 * Validates one prepared document with the AsyncAPI parser: the document structure against the official
 * JSON Schema of its version, payload schemas, references, and the parser's AsyncAPI rules.
 *
 * A 1.x/2.x document is validated twice: as written, against the schema of its own version (so errors point
 * at its lines), then as converted; what the conversion leaves imperfect (binding versions it does not
 * upgrade) must not refuse a valid document, so errors of the converted form are warnings.
 */
import type { AsyncAPIDocumentInterface, Diagnostic as ParserDiagnostic } from '@asyncapi/parser';
import { splitParserDiagnostics } from './diagnostics.ts';
import { contractError } from './errors.ts';
import type { ContractFiles } from './files.ts';
import { documentParser, type ParserHandle } from './parser.ts';
import type { Candidate } from './prepare.ts';
import type { Diagnostic } from './types.ts';
import type { ValidationPool } from './validation-pool.ts';

export interface Validation {
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  /** The parser found the document valid. */
  readonly valid: boolean;
  /** The parser's document, when the parser ran in this thread and the document is valid. */
  readonly document?: AsyncAPIDocumentInterface;
}

export interface ParserOutput {
  readonly diagnostics: readonly ParserDiagnostic[];
  /** The parser produced a document (no error, or errors allowed). */
  readonly valid: boolean;
  readonly document?: AsyncAPIDocumentInterface;
}

/** One run of the parser on a document's text or (converted documents) data. */
export type RunParser = (input: string | object, lenient: boolean) => Promise<ParserOutput>;

/** What fromFile(parser, absPath).parse() does, on the text already read: `source` resolves relative `$ref`s. */
export function parserInThisThread(handle: ParserHandle, source: string): RunParser {
  return async (input, lenient) => {
    const validateOptions = lenient ? { allowedSeverity: { error: true } } : {};
    const output = await handle.parser.parse(input as string, { source, validateOptions });
    return {
      diagnostics: output.diagnostics,
      valid: output.document !== undefined,
      document: output.document,
    };
  };
}

/**
 * The same on a worker thread (no Document API comes back). A pool that cannot run rejects with
 * `PoolUnavailable`, so the caller can validate in this thread; an error of the parser itself is its verdict.
 */
export function parserOnPool(pool: ValidationPool, source: string): RunParser {
  return async (input, lenient) => {
    const reply = await pool.parse(source, input, lenient).catch((error: unknown) => {
      throw new PoolUnavailable(error instanceof Error ? error.message : String(error));
    });
    if ('failure' in reply) throw new Error(reply.failure);
    return { diagnostics: reply.diagnostics, valid: reply.valid };
  };
}

export class PoolUnavailable extends Error {
  override readonly name = 'PoolUnavailable';
}

async function run(
  runParser: RunParser,
  files: ContractFiles,
  candidate: Candidate,
  input: string | object,
  lenient: boolean,
) {
  const { absPath } = candidate;
  try {
    const output = await runParser(input, lenient);
    return { output, ...splitParserDiagnostics(files, absPath, output.diagnostics) };
  } catch (error) {
    if (error instanceof PoolUnavailable) throw error;
    const message = `the AsyncAPI parser failed: ${(error as Error).message}`;
    return {
      output: undefined,
      errors: [contractError(files, { file: absPath, pointer: '' }, 'parser-failure', message)],
      warnings: [],
    };
  }
}

export async function validateCandidate(
  runParser: RunParser,
  files: ContractFiles,
  candidate: Candidate,
): Promise<Validation> {
  const original = await run(runParser, files, candidate, candidate.text, false);
  if (original.errors.length > 0)
    return { errors: original.errors, warnings: original.warnings, valid: false };
  if (!candidate.legacy) {
    if (!original.output?.valid) {
      const message = 'the AsyncAPI parser returned no document and no error';
      return {
        errors: [contractError(files, { file: candidate.absPath, pointer: '' }, 'parser-failure', message)],
        warnings: [],
        valid: false,
      };
    }
    const { document } = original.output;
    return { errors: [], warnings: original.warnings, valid: true, ...(document ? { document } : {}) };
  }
  const converted = await run(runParser, files, candidate, candidate.legacy.converted, true);
  const afterConversion = (error: Diagnostic): Diagnostic => ({
    ...error,
    code: 'converted-document',
    severity: 'warning',
    message: `after conversion to 3.0.0: ${error.message}`,
  });
  const warnings = [...converted.errors.map(afterConversion), ...converted.warnings];
  if (!converted.output?.valid) return { errors: converted.errors, warnings: [], valid: false };
  const { document } = converted.output;
  return { errors: [], warnings, valid: true, ...(document ? { document } : {}) };
}

/**
 * The parser's Document API of an AsyncAPI 3 document eventwire validated itself, from the parser with its
 * rulesets off: what it reports is what parsing found (a payload schema its schema parser cannot read).
 */
export async function parseDocument(files: ContractFiles, candidate: Candidate): Promise<Validation> {
  const handle = await documentParser();
  const validation = await validateCandidate(parserInThisThread(handle, candidate.absPath), files, candidate);
  return validation;
}
