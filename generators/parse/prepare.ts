/**
 * Checks one file before any validation: readable YAML, an AsyncAPI document of a version the model reads
 * (1.x/2.x converted in memory), every `$ref` resolvable. Needs no parser.
 */
import { expansionProblem } from './budget.ts';
import { contractError } from './errors.ts';
import type { EntryFile } from './expand.ts';
import type { ContractFiles } from './files.ts';
import { checkVersion, convertCommand, convertToV3, legacyShapeProblems } from './legacy.ts';
import { isRecord } from './pointer.ts';
import { crawlRefs, problemError } from './refs.ts';
import type { Diagnostic, LoadOptions } from './types.ts';

export interface Candidate {
  readonly absPath: string;
  /** The text as written (what the parser validates; for converted documents, the original version). */
  readonly text: string;
  /** AsyncAPI 1.x/2.x documents: the version written, and the document converted to 3.0. */
  readonly legacy?: { readonly version: string; readonly converted: Record<string, unknown> };
  /** The document and every file it references (absolute paths, sorted). */
  readonly closure: readonly string[];
}

export interface Prepared {
  readonly candidate?: Candidate;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  /** A shared part found while expanding a folder: not a document, not an error. */
  readonly skipped?: boolean;
}

export const refusal = (...errors: Diagnostic[]): Prepared => ({ errors, warnings: [] });

export async function prepare(
  files: ContractFiles,
  entry: EntryFile,
  options: LoadOptions,
): Promise<Prepared> {
  const { absPath } = entry;
  const read = await files.read(absPath);
  if (!read.ok) return refusal(problemError(files, absPath, read));
  const at = (pointer: string) => ({ file: absPath, pointer });
  if (!isRecord(read.data) || !('asyncapi' in read.data)) {
    if (!entry.explicit) return { errors: [], warnings: [], skipped: true };
    return refusal(
      contractError(
        files,
        at(''),
        'not-asyncapi',
        'not an AsyncAPI document: it has no top-level "asyncapi" key',
        'documents start with `asyncapi: 3.0.0`; shared parts (schemas, messages, traits) are read through $ref and need not be listed',
      ),
    );
  }
  const version = checkVersion(read.data.asyncapi);
  if (version.kind === 'unsupported') {
    return refusal(
      contractError(files, at('/asyncapi'), 'unsupported-version', version.message, version.hint),
    );
  }
  const display = files.display(absPath);
  if (version.kind === 'legacy' && options.convertLegacy === false) {
    const message = `AsyncAPI ${version.version} is not supported: convert with \`${convertCommand(display)}\``;
    return refusal(contractError(files, at('/asyncapi'), 'unsupported-version', message));
  }
  const closure = await crawlRefs(files, absPath);
  if (closure.errors.length > 0) return refusal(...closure.errors);
  // Before the parser, which would expand the document as well.
  const expansion = expansionProblem(files, absPath, undefined, closure.files);
  if (expansion) return refusal(expansion);
  if (version.kind === 'current') {
    return { candidate: { absPath, text: read.text, closure: closure.files }, errors: [], warnings: [] };
  }
  const shape = legacyShapeProblems(read.data, version.version);
  if (shape.length > 0) {
    return refusal(
      ...shape.map((problem) =>
        contractError(files, at(problem.pointer), 'invalid-document', problem.message, problem.hint),
      ),
    );
  }
  const converted = await convertToV3(read.data, version.version, display);
  if (!converted.ok) {
    return refusal(contractError(files, at('/asyncapi'), converted.code, converted.message, converted.hint));
  }
  const warnings = [
    `AsyncAPI ${version.version} document converted to 3.0.0 in memory: other locations in this file refer to the converted document`,
    ...converted.notes.map((note) => `converter: ${note}`),
  ].map((message) =>
    contractError(
      files,
      at('/asyncapi'),
      'converted-document',
      message,
      `convert the file for good with \`${convertCommand(display)}\``,
      'warning',
    ),
  );
  const legacy = { version: version.version, converted: converted.document };
  return { candidate: { absPath, text: read.text, legacy, closure: closure.files }, errors: [], warnings };
}
