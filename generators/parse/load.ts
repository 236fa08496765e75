/**
 * Loads contract documents: expands folders, reads and checks every file (empty, binary, YAML syntax, AsyncAPI
 * version), converts 1.x/2.x in memory, checks every `$ref`, validates each document with the AsyncAPI parser
 * (all in parallel), and resolves it for the model. Nothing here throws for bad input: every problem becomes a
 * ContractError, and a document with errors is refused (listed in `refused`) while the others still load.
 *
 * The parser is imported only when a document needs validating: the verdict on a document that validated is
 * cached by the text of every file it reads, so an unchanged contract set loads without the parser at all.
 */
import { dataCache, hashOf, VerdictCache } from './cache.ts';
import { compareText } from './compare.ts';
import { contractError, sortErrors } from './errors.ts';
import { expandPaths } from './expand.ts';
import { ContractFiles } from './files.ts';
import { validateCandidate } from './parse-document.ts';
import { asyncApiParser, isJsonSchemaFormat } from './parser.ts';
import { type Candidate, type Prepared, prepare, refusal } from './prepare.ts';
import { resolveDocument } from './resolve.ts';
import { schemaFormats, unsupportedSchemaFormats } from './schema-formats.ts';
import type { ContractError, LoadOptions, LoadResult, ParsedDocument, RefusedDocument } from './types.ts';

interface Outcome {
  readonly file: string;
  readonly document?: ParsedDocument;
  readonly errors: readonly ContractError[];
  readonly warnings: readonly ContractError[];
  readonly skipped?: boolean;
  readonly cached?: boolean;
  readonly parsed?: boolean;
}

function assemble(
  files: ContractFiles,
  candidate: Candidate,
  parsed?: ParsedDocument['document'],
): ParsedDocument {
  const { absPath, legacy } = candidate;
  const view = legacy ? files.addConverted(absPath, legacy.converted) : absPath;
  const resolved = resolveDocument(files, view);
  return {
    file: files.display(absPath),
    absPath,
    view,
    version: String(resolved.asyncapi),
    ...(legacy ? { convertedFrom: legacy.version } : {}),
    resolved,
    raw: (files.entry(view)?.data ?? {}) as Record<string, unknown>,
    ...(parsed ? { document: parsed } : {}),
    dependencies: candidate.closure.filter((file) => file !== absPath).map((file) => files.display(file)),
    files,
  };
}

function verdictKey(files: ContractFiles, candidate: Candidate): string {
  const texts = candidate.closure.map((file) => [files.display(file), files.entry(file)?.text]);
  return hashOf(VerdictCache.environment(), files.root, files.display(candidate.absPath), texts);
}

async function settle(
  files: ContractFiles,
  cache: VerdictCache,
  file: string,
  prepared: Prepared,
): Promise<Outcome> {
  const { candidate } = prepared;
  if (!candidate) return { file, ...prepared };
  const key = verdictKey(files, candidate);
  const verdict = cache.read(key);
  if (verdict) {
    const document = assemble(files, candidate);
    return {
      file,
      document,
      errors: [],
      warnings: [...prepared.warnings, ...verdict.warnings],
      cached: true,
    };
  }
  const validation = await validateCandidate(await asyncApiParser(), files, candidate);
  const warnings = [...prepared.warnings, ...validation.warnings];
  if (validation.errors.length > 0 || !validation.document)
    return { file, errors: validation.errors, warnings, parsed: true };
  const document = assemble(files, candidate, validation.document);
  const handle = await asyncApiParser();
  const formatErrors = unsupportedSchemaFormats(
    files,
    document.view,
    document.resolved,
    handle.supportsSchemaFormat,
  );
  if (formatErrors.length > 0) return { file, errors: formatErrors, warnings, parsed: true };
  // Documents whose payloads another schema parser converted need that parser's output: not cached.
  if (schemaFormats(document.resolved).every(isJsonSchemaFormat))
    cache.write(key, { warnings: validation.warnings });
  return { file, document, errors: [], warnings, parsed: true };
}

export async function loadDocuments(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<LoadResult> {
  const started = performance.now();
  const files = new ContractFiles(options.root ?? process.cwd(), dataCache(options.cacheDir));
  const cache = new VerdictCache(options.cacheDir);
  const { entries, missing } = await expandPaths(paths);
  const outcomes: Outcome[] = missing.map((absPath) => ({
    file: absPath,
    ...refusal(
      contractError(files, { file: absPath, pointer: '' }, 'file-not-found', 'no such file or folder'),
    ),
  }));
  const settled = await Promise.all(
    entries.map(async (entry) => settle(files, cache, entry.absPath, await prepare(files, entry, options))),
  );
  outcomes.push(...settled);
  const documents: ParsedDocument[] = [];
  const refused: RefusedDocument[] = [];
  for (const outcome of outcomes) {
    if (outcome.document) documents.push(outcome.document);
    else if (!outcome.skipped)
      refused.push({ file: files.display(outcome.file), reasons: sortErrors(outcome.errors) });
  }
  const setupMs = outcomes.some((o) => o.parsed) ? (await asyncApiParser()).setupMs : 0;
  const totalMs = performance.now() - started;
  return {
    documents: documents.sort((a, b) => compareText(a.file, b.file)),
    refused: refused.sort((a, b) => compareText(a.file, b.file)),
    errors: sortErrors(outcomes.flatMap((outcome) => outcome.errors)),
    warnings: sortErrors(outcomes.flatMap((outcome) => outcome.warnings)),
    files,
    timings: {
      cachedDocuments: outcomes.filter((o) => o.cached).length,
      parserSetupMs: setupMs,
      parseMs: totalMs - setupMs,
      totalMs,
    },
  };
}
