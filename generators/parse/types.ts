import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ContractFiles } from './files.ts';

/**
 * Codes of the problems found while reading contracts (stage `parse`). Tests and tools match on the code; people read the message.
 */
export type ParseCode =
  | 'file-not-found'
  | 'not-a-file'
  | 'file-too-large'
  | 'empty-file'
  | 'binary-file'
  | 'yaml-syntax'
  | 'not-asyncapi'
  | 'unsupported-version'
  | 'converted-document'
  | 'conversion-failed'
  | 'unresolved-ref'
  | 'remote-ref'
  | 'ref-outside-root'
  | 'ref-expansion'
  | 'invalid-document'
  | 'invalid-schema'
  | 'unsupported-schema-format'
  | 'parser-failure'
  | 'parser-warning'
  | (string & {});

/** Every problem found while reading contracts is a Diagnostic of stage `parse`. */
export type { Diagnostic } from '../diagnostics/diagnostic.ts';

/** One AsyncAPI 3.x document that validated (1.x/2.x documents arrive here converted). */
export interface ParsedDocument {
  /** Path relative to the load root (POSIX separators): what SourceRef.file holds. */
  readonly file: string;
  readonly absPath: string;
  /** The key of the document's data in `files`: `absPath`, or the converted view of a 1.x/2.x file. */
  readonly view: string;
  /** The `asyncapi` version the model reads (3.x). */
  readonly version: string;
  /** The version the file was written in when it was converted in memory (1.x/2.x). */
  readonly convertedFrom?: string;
  /** Every `$ref` resolved (cycles kept as object identity), traits applied, ids as the parser gives them. */
  readonly resolved: Readonly<Record<string, unknown>>;
  /** The document as written (or as converted), `$ref`s untouched: the base of every SourceRef. */
  readonly raw: Readonly<Record<string, unknown>>;
  /**
   * The parser's Document API, when the parser validated the document in this thread: documents whose payloads
   * another schema parser converts (Avro). Others are validated on worker threads or come from the cache.
   */
  readonly document?: AsyncAPIDocumentInterface;
  /** Files this document references, directly or not (display paths, sorted). */
  readonly dependencies: readonly string[];
  /** Shared view of every file read in this load: follows `$ref`s to their origin and maps pointers to lines. */
  readonly files: ContractFiles;
}

export interface RefusedDocument {
  readonly file: string;
  readonly reasons: readonly Diagnostic[];
}

export interface LoadTimings {
  /** Documents whose validation verdict came from the cache (the parser did not run for them). */
  readonly cachedDocuments: number;
  /** Documents the parser validated in this load. */
  readonly validatedDocuments: number;
  /** Time to import and set up the AsyncAPI parser in this thread (0 when it was loaded before or not needed here). */
  readonly parserSetupMs: number;
  /** Reading, checking and parsing every document, parser setup excluded. */
  readonly parseMs: number;
  readonly totalMs: number;
}

export interface LoadResult {
  /** Sorted by file. */
  readonly documents: readonly ParsedDocument[];
  /** Entry files that could not be loaded, with the errors that stopped them. */
  readonly refused: readonly RefusedDocument[];
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  readonly files: ContractFiles;
  readonly timings: LoadTimings;
}

export interface LoadOptions {
  /**
   * The folder every `$ref` must stay inside (confine.ts). Default: the folders given in `paths` and the
   * folders of the files given.
   */
  readonly refsRoot?: string;
  /** Base for the display paths in errors and SourceRefs (default: the current directory). */
  readonly root?: string;
  /** Convert AsyncAPI 1.x/2.x documents to 3.0 in memory (default true); when false they are refused. */
  readonly convertLegacy?: boolean;
  /** Where verdicts of documents that validated are kept (default node_modules/.cache/eventwire); false: none. */
  readonly cacheDir?: string | false;
  /**
   * Accept paths that hold no AsyncAPI document (default false: "no contract found" is an error, so a mistyped
   * path in CI cannot pass green). `diff --against` sets it for the old side, where contracts may not exist yet.
   */
  readonly allowNoDocuments?: boolean;
  /**
   * Documents this thread validates (AsyncAPI 3, shipped validators) wait for this before they are validated:
   * they are in `provisional` at once, resolved, and their verdicts in `final` after. `--watch` settles it once
   * it has written the output, so an edit's output is not held up by its validation.
   */
  readonly validateAfter?: Promise<unknown>;
}
