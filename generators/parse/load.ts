/**
 * Loads contract documents: expands folders, reads and checks every file (empty, binary, YAML syntax, AsyncAPI
 * version), converts 1.x/2.x in memory, checks every `$ref`, validates each document with the AsyncAPI parser,
 * and resolves it for the model. Nothing here throws for bad input: every problem becomes a Diagnostic, and a
 * document with errors is refused (listed in `refused`) while the others still load.
 *
 * The parser's verdict on a document that validated is cached by what it depends on (verdict-key.ts), so an
 * unchanged contract set loads without the parser at all. Documents that need the parser are validated on
 * worker threads (validation-pool.ts) while this thread resolves them: `stageLoad` hands out every document
 * as soon as it is resolved (`provisional`), so callers can build and render meanwhile, and the verdicts after.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { memo } from '../pipeline/memo.ts';
import { dataCache, VerdictCache } from './cache.ts';
import { compareText } from './compare.ts';
import { RefsRoots } from './confine.ts';
import { sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { contractError } from './errors.ts';
import { type EntryFile, expandPaths } from './expand.ts';
import { ContractFiles } from './files.ts';
import {
  PoolUnavailable,
  parserInThisThread,
  parserOnPool,
  parseDocument,
  type Validation,
  validateCandidate,
} from './parse-document.ts';
import { asyncApiParser, documentParser, forgetFilesInThisThread, isJsonSchemaFormat } from './parser.ts';
import { type Candidate, type Prepared, prepare, refusal } from './prepare.ts';
import { MAX_CONTRACT_SET_BYTES, readBoundedFile } from './read.ts';
import { resolveDocument } from './resolve.ts';
import { shippedValidators } from './shipped-validators.ts';
import { memoOverFiles } from './parse-memo.ts';
import { PARSER_NATIVE_FORMATS, schemaFormats, unsupportedSchemaFormats } from './schema-formats.ts';
import type { Diagnostic, LoadOptions, LoadResult, ParsedDocument, RefusedDocument } from './types.ts';
import { validateV3 } from './validate-v3.ts';
import { validationPool } from './validation-pool.ts';
import { verdictKey } from './verdict-key.ts';

/**
 * EVENTWIRE_VALIDATION=parser validates AsyncAPI 3 documents with the parser, as eventwire did before it shipped
 * its own validators: the benchmarks' side-by-side baseline (bench/generate.ts, bench/check.ts).
 */
const VALIDATE_WITH_PARSER = process.env.EVENTWIRE_VALIDATION === 'parser';

interface Outcome {
  readonly file: string;
  readonly document?: ParsedDocument;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  readonly skipped?: boolean;
  readonly cached?: boolean;
  readonly parsed?: boolean;
}

/** A document being validated: resolved already, its verdict to come. */
interface Pending {
  readonly file: string;
  readonly document: ParsedDocument;
  readonly warnings: readonly Diagnostic[];
  readonly key: string;
  readonly validation: Promise<Validation>;
  /** Its payloads are JSON Schema as written (other formats are converted by the parser: not cacheable). */
  readonly jsonSchemaOnly: boolean;
}

/** A document validated in this thread once `LoadOptions.validateAfter` settles: resolved already. */
interface Deferred {
  readonly file: string;
  readonly document: ParsedDocument;
  readonly warnings: readonly Diagnostic[];
  readonly later: Promise<Outcome>;
}

export interface StagedLoad {
  /**
   * Every document that passed the checks made before validation, resolved, with the errors found so far: what
   * a caller can build from while the parser validates. `final.documents` is a subset (the same objects).
   */
  readonly provisional: LoadResult;
  readonly final: Promise<LoadResult>;
}

function assemble(files: ContractFiles, candidate: Candidate, key: string): ParsedDocument {
  const { absPath, legacy } = candidate;
  const view = legacy ? files.addConverted(absPath, legacy.converted) : absPath;
  // Kept by the verdict key, which hashes exactly what resolving reads (the document's text and every node its
  // `$ref`s reach), so an edit to a part of a shared file the document does not reach resolves nothing again.
  const resolved = memo('parse:resolved', key, () =>
    resolveDocument(files.confinedTo(candidate.closure), view),
  );
  return {
    file: files.display(absPath),
    absPath,
    view,
    version: String(resolved.asyncapi),
    ...(legacy ? { convertedFrom: legacy.version } : {}),
    resolved,
    raw: (files.entry(view)?.data ?? {}) as Record<string, unknown>,
    dependencies: candidate.closure.filter((file) => file !== absPath).map((file) => files.display(file)),
    files,
  };
}

/** The verdict key (verdict-key.ts), kept by the content of every file the document reads. */
const rememberedKey = (files: ContractFiles, candidate: Candidate): string =>
  memoOverFiles('verdict-key', files, candidate.absPath, candidate.closure, undefined, (view) =>
    verdictKey(view, candidate),
  );

/**
 * A cached warning about another file, at that file's current line: the verdict outlives edits of the parts of
 * referenced files the document does not read, which may move lines.
 */
function relocated(files: ContractFiles, documentFile: string, warning: Diagnostic): Diagnostic {
  if (warning.file === documentFile) return warning;
  const { line: _line, column: _column, ...rest } = warning;
  const position = files.locate({ file: files.absolute(warning.file), pointer: warning.pointer });
  return position ? { ...rest, line: position.line, column: position.column } : rest;
}

/** Validates on the worker pool, or in this thread when the pool cannot run. */
async function validateAnywhere(files: ContractFiles, candidate: Candidate): Promise<Validation> {
  try {
    return await validateCandidate(parserOnPool(validationPool(), candidate.absPath), files, candidate);
  } catch (error) {
    if (!(error instanceof PoolUnavailable)) throw error;
    return validateInThisThread(files, candidate);
  }
}

async function validateInThisThread(files: ContractFiles, candidate: Candidate): Promise<Validation> {
  return validateCandidate(parserInThisThread(await asyncApiParser(), candidate.absPath), files, candidate);
}

/** The schema formats the parser reads, from whichever parser validated. */
async function supportedFormats(inThisThread: boolean): Promise<(format: string) => boolean> {
  if (!inThisThread) {
    try {
      const formats = await validationPool().schemaFormats();
      return (format) => formats.has(format);
    } catch {
      // The pool cannot run: ask the parser of this thread.
    }
  }
  return (await asyncApiParser()).supportsSchemaFormat;
}

/**
 * A cached verdict, or a document to validate: submitted to the worker pool first (validation is the long pole),
 * then resolved here meanwhile. Documents whose payloads another schema parser converts (Avro) need the
 * parser's Document API, which only this thread has: they are validated here before the model sees them.
 */
async function stage(
  files: ContractFiles,
  cache: VerdictCache,
  file: string,
  prepared: Prepared,
  forgetChanged: (closure: readonly string[]) => void,
  after: Promise<unknown> | undefined,
): Promise<Outcome | Pending | Deferred> {
  const { candidate } = prepared;
  if (!candidate) return { file, ...prepared };
  const key = rememberedKey(files, candidate);
  const verdict = cache.read(key);
  if (verdict) {
    const document = assemble(files, candidate, key);
    const replayed = verdict.warnings.map((warning) => relocated(files, document.file, warning));
    return { file, document, errors: [], warnings: [...prepared.warnings, ...replayed], cached: true };
  }
  const data = files.entry(candidate.absPath)?.data as { asyncapi?: unknown } | undefined;
  const version = String(data?.asyncapi);
  if (!candidate.legacy && !VALIDATE_WITH_PARSER && shippedValidators(version)) {
    const validate = (document?: ParsedDocument) =>
      validateDirectly(files, cache, file, candidate, prepared.warnings, key, version, document);
    if (!after) return validate();
    // Validated once the caller has used the provisional document (`--watch` writes its output first); not a
    // document whose payloads another schema parser reads (Avro): its model changes once validated, which
    // would rewrite the output just written.
    const document = assemble(files, candidate, key);
    if (!schemaFormats(document.resolved).every((format) => PARSER_NATIVE_FORMATS.has(format)))
      return validate(document);
    return { file, document, warnings: prepared.warnings, later: after.then(() => validate(document)) };
  }
  forgetChanged(candidate.closure);
  const onPool = validateAnywhere(files, candidate);
  const provisional = assemble(files, candidate, key);
  const jsonSchemaOnly = schemaFormats(provisional.resolved).every(isJsonSchemaFormat);
  const { warnings } = prepared;
  if (jsonSchemaOnly)
    return { file, document: provisional, warnings, key, validation: onPool, jsonSchemaOnly };
  onPool.catch(() => undefined);
  const validation = await validateInThisThread(files, candidate);
  const document = validation.document ? { ...provisional, document: validation.document } : provisional;
  return { file, document, warnings, key, validation: Promise.resolve(validation), jsonSchemaOnly };
}

/**
 * An AsyncAPI 3 document validated without the parser (validate-v3.ts), for a version validators ship for. A document whose payloads another schema parser converts (Avro) still needs the parser's
 * Document API: it is parsed in this thread once it validated, with the parser's rulesets off.
 */
async function validateDirectly(
  files: ContractFiles,
  cache: VerdictCache,
  file: string,
  candidate: Candidate,
  warnings: readonly Diagnostic[],
  key: string,
  version: string,
  provisional?: ParsedDocument,
): Promise<Outcome> {
  const verdict = validateV3(files, candidate.absPath, version);
  if (!verdict) throw new Error(`no validators ship for AsyncAPI ${version}`);
  if (verdict.errors.length > 0) return { file, errors: verdict.errors, warnings, parsed: true };
  const document = provisional ?? assemble(files, candidate, key);
  const formats = schemaFormats(document.resolved);
  if (formats.every((format) => PARSER_NATIVE_FORMATS.has(format))) {
    cache.write(key, { warnings: [] });
    return { file, document, errors: [], warnings, parsed: true };
  }
  const parsed = await parseDocument(files, candidate);
  if (parsed.errors.length > 0) return { file, errors: parsed.errors, warnings, parsed: true };
  const supports = (await documentParser()).supportsSchemaFormat;
  const formatErrors = unsupportedSchemaFormats(files, document.view, document.resolved, supports);
  if (formatErrors.length > 0) return { file, errors: formatErrors, warnings, parsed: true };
  const withApi = parsed.document ? { ...document, document: parsed.document } : document;
  return { file, document: withApi, errors: [], warnings: [...warnings, ...parsed.warnings], parsed: true };
}

async function settle(files: ContractFiles, cache: VerdictCache, pending: Pending): Promise<Outcome> {
  const { file, document, key, jsonSchemaOnly } = pending;
  const validation = await pending.validation;
  const warnings = [...pending.warnings, ...validation.warnings];
  if (validation.errors.length > 0 || !validation.valid)
    return { file, errors: validation.errors, warnings, parsed: true };
  const supports = await supportedFormats(!jsonSchemaOnly);
  const formatErrors = unsupportedSchemaFormats(files, document.view, document.resolved, supports);
  if (formatErrors.length > 0) return { file, errors: formatErrors, warnings, parsed: true };
  if (jsonSchemaOnly) cache.write(key, { warnings: validation.warnings });
  return { file, document, errors: [], warnings, parsed: true };
}

/** The paths held files, but none of them is an AsyncAPI document (and nothing was refused). */
function noDocumentError(files: ContractFiles, paths: readonly string[], read: number): Diagnostic {
  const shown = paths.map((p) => files.display(path.resolve(p))).join(', ');
  const what =
    read === 0 ? 'no YAML or JSON file' : `${read} YAML/JSON file(s), none with a top-level "asyncapi" key`;
  return contractError(
    files,
    { file: path.resolve(paths[0] ?? '.'), pointer: '' },
    'no-contracts',
    `no AsyncAPI document found in ${shown}: ${what}`,
    'check the path; a contract is a YAML or JSON file that starts with `asyncapi: 3.0.0`',
  );
}

function result(
  files: ContractFiles,
  outcomes: readonly Outcome[],
  started: number,
  setupMs: number,
  empty?: { readonly paths: readonly string[] },
): LoadResult {
  const documents: ParsedDocument[] = [];
  const refused: RefusedDocument[] = [];
  for (const outcome of outcomes) {
    if (outcome.document) documents.push(outcome.document);
    else if (!outcome.skipped)
      refused.push({ file: files.display(outcome.file), reasons: sortDiagnostics(outcome.errors) });
  }
  const totalMs = performance.now() - started;
  const errors = outcomes.flatMap((outcome) => outcome.errors);
  if (empty && documents.length === 0 && errors.length === 0)
    errors.push(noDocumentError(files, empty.paths, outcomes.length));
  return {
    documents: documents.sort((a, b) => compareText(a.file, b.file)),
    refused: refused.sort((a, b) => compareText(a.file, b.file)),
    errors: sortDiagnostics(errors),
    warnings: sortDiagnostics(outcomes.flatMap((outcome) => outcome.warnings)),
    files,
    timings: {
      cachedDocuments: outcomes.filter((o) => o.cached).length,
      validatedDocuments: outcomes.filter((o) => o.parsed).length,
      parserSetupMs: setupMs,
      parseMs: totalMs - setupMs,
      totalMs,
    },
  };
}

type Staged = Outcome | Pending | Deferred;
const isPending = (staged: Staged): staged is Pending => 'validation' in staged;
const isDeferred = (staged: Staged): staged is Deferred => 'later' in staged;

/** The text of every file the previous load in this process read. */
let previousTexts = new Map<string, string>();

/**
 * Tells the parsers (which keep every file they read) to read again the files of a closure whose text changed
 * since the previous load, before the document is submitted; each file once per load.
 */
function changedFileForgetter(files: ContractFiles): (closure: readonly string[]) => void {
  const checked = new Set<string>();
  return (closure) => {
    const changed = closure.filter((file) => {
      if (checked.has(file)) return false;
      checked.add(file);
      return files.entry(file)?.text !== previousTexts.get(file);
    });
    if (changed.length === 0) return;
    validationPool().forget(changed);
    forgetFilesInThisThread(changed);
  };
}

/**
 * The contract files named or found add up to more than MAX_CONTRACT_SET_BYTES: refused before any is read or
 * validated (files they reference are counted as they are read, files.ts).
 */
async function setTooLarge(
  files: ContractFiles,
  entries: readonly EntryFile[],
): Promise<Outcome | undefined> {
  const sizes = await Promise.all(
    entries.map((entry) =>
      stat(entry.absPath).then(
        (info) => info.size,
        () => 0,
      ),
    ),
  );
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= MAX_CONTRACT_SET_BYTES) return undefined;
  const first = entries[0]?.absPath ?? '.';
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return {
    file: first,
    ...refusal(
      contractError(
        files,
        { file: path.dirname(first), pointer: '' },
        'file-too-large',
        `the ${entries.length} contract files given add up to ${mib(total)}, more than the ${mib(MAX_CONTRACT_SET_BYTES)} eventwire reads in one run`,
        'generate or check the contracts in several runs (one folder each)',
      ),
    ),
  };
}

export async function stageLoad(paths: readonly string[], options: LoadOptions = {}): Promise<StagedLoad> {
  const started = performance.now();
  const roots = options.refsRoot ? new RefsRoots([options.refsRoot]) : await RefsRoots.of(paths);
  const files = new ContractFiles(options.root ?? process.cwd(), dataCache(options.cacheDir), roots);
  const cache = new VerdictCache(options.cacheDir);
  // As before eventwire validated by itself: the parser loads on its worker while the files are read.
  if (VALIDATE_WITH_PARSER && cache.isEmpty()) validationPool().warm();
  const { entries, missing } = await expandPaths(paths);
  const notFound: Outcome[] = missing.map((absPath) => ({
    file: absPath,
    ...refusal(
      contractError(files, { file: absPath, pointer: '' }, 'file-not-found', 'no such file or folder'),
    ),
  }));
  const tooLarge = await setTooLarge(files, entries);
  if (tooLarge) {
    const refused = result(files, [...notFound, tooLarge], started, 0);
    return { provisional: refused, final: Promise.resolve(refused) };
  }
  const forgetChanged = changedFileForgetter(files);
  // Each document goes on as soon as its own files are read: the first validation starts early.
  const staged = await Promise.all(
    entries.map(async (entry) =>
      stage(
        files,
        cache,
        entry.absPath,
        await prepare(files, entry, options),
        forgetChanged,
        options.validateAfter,
      ),
    ),
  );
  previousTexts = new Map(files.texts());
  const early = staged.map(
    (s): Outcome =>
      isPending(s) || isDeferred(s)
        ? { file: s.file, document: s.document, errors: [], warnings: s.warnings }
        : s,
  );
  const inThisThread = async () =>
    staged.some((s) => isPending(s) && !s.jsonSchemaOnly) ? (await asyncApiParser()).setupMs : 0;
  const empty = options.allowNoDocuments ? undefined : { paths };
  const final = Promise.all(
    staged.map((s) => (isPending(s) ? settle(files, cache, s) : isDeferred(s) ? s.later : s)),
  ).then(async (outcomes) => result(files, [...notFound, ...outcomes], started, await inThisThread(), empty));
  return { provisional: result(files, [...notFound, ...early], started, 0, empty), final };
}

/**
 * For a `--watch` session, so the first edits do not pay for code nobody ran yet. AsyncAPI 3 documents: the
 * shipped validators are loaded and validate the first document a few times (the quiet first pass replays
 * cached verdicts and never runs them). AsyncAPI 1.x/2.x documents: a validation worker starts and the parser
 * validates one of them a few times (the answers are dropped): a cold parser takes several times as long for a
 * document as it does by its tenth. One at a time, so an edit never waits behind more than one of them.
 */
export async function warmUpValidation(paths: readonly string[], rounds = 6): Promise<void> {
  const { entries } = await expandPaths(paths);
  let current: string | undefined;
  for (const { absPath } of entries) {
    const bytes = await readBoundedFile(absPath);
    const text = Buffer.isBuffer(bytes) ? bytes.toString('utf8') : '';
    if (/^["']?asyncapi["']?\s*:\s*["']?3\./m.test(text)) current ??= absPath;
    if (!/^["']?asyncapi["']?\s*:\s*["']?[12]\./m.test(text)) continue;
    for (let round = 0; round < rounds; round++) {
      const answered = await validationPool()
        .parse(absPath, text, false)
        .then(() => true)
        .catch(() => false);
      if (!answered) return;
    }
    return;
  }
  if (current) await warmUpDirectValidation(current, rounds);
}

async function warmUpDirectValidation(absPath: string, rounds: number): Promise<void> {
  const files = new ContractFiles(path.dirname(absPath));
  const { candidate } = await prepare(files, { absPath, explicit: true }, {});
  const data = files.entry(absPath)?.data as { asyncapi?: unknown } | undefined;
  if (!candidate || typeof data?.asyncapi !== 'string') return;
  for (let round = 0; round < rounds; round++) {
    // A new view each round: validation copies are shared within a load only.
    const view = round === 0 ? files : new ContractFiles(path.dirname(absPath));
    if (round > 0) await prepare(view, { absPath, explicit: true }, {});
    validateV3(view, absPath, data.asyncapi);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function loadDocuments(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<LoadResult> {
  return (await stageLoad(paths, options)).final;
}
