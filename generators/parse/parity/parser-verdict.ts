/**
 * The verdict of the AsyncAPI parser with its default rulesets (what `new Parser()` does, with the Avro schema
 * parser eventwire also registers) on one document: accepted or not, and where its errors are. The reference
 * verdict-parity.test.ts compares eventwire's validation with.
 *
 * The default parser takes seconds per document on a busy machine, so verdicts are kept in .tmp/verdict-parity/
 * (git-ignored), keyed by the parser's version and the text of the document and of every file it references:
 * any change to any of them runs the parser again. EVENTWIRE_PARITY_CACHE=off runs it for every document.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, Parser } from '@asyncapi/parser';
import { packageVersion } from '../cache.ts';
import { pointerOf } from '../pointer.ts';

export interface Verdict {
  readonly accepted: boolean;
  /** `file#pointer` of every error, absolute file paths, sorted and unique. */
  readonly errorPlaces: readonly string[];
}

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const CACHE_FOLDER = path.join(REPO_ROOT, '.tmp', 'verdict-parity');
/** Bump when what a cached verdict records changes. */
const FORMAT = 1;

let parser: Promise<Parser> | undefined;

async function defaultParser(): Promise<Parser> {
  const { Parser } = await import('@asyncapi/parser');
  const { AvroSchemaParser } = (await import('@asyncapi/avro-schema-parser')) as unknown as {
    AvroSchemaParser: () => never;
  };
  const created = new Parser();
  created.registerSchemaParser(AvroSchemaParser());
  return created;
}

/** Where an error diagnostic is: Spectral reports errors inside referenced files at that file (`source`). */
export function diagnosticPlace(documentPath: string, diagnostic: Diagnostic): string {
  const file = diagnostic.source ? path.resolve(diagnostic.source) : documentPath;
  return `${file}#${pointerOf((diagnostic.path ?? []).map(String))}`;
}

function cacheKey(documentPath: string, closure: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([FORMAT, packageVersion('@asyncapi/parser'), documentPath]));
  for (const file of [...closure].sort()) {
    hash.update(`\u0000${file}\u0000`);
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('missing');
    }
  }
  return hash.digest('hex').slice(0, 40);
}

/** `closure`: the document and every file it references (read for the cache key). */
export async function parserVerdict(documentPath: string, closure: readonly string[]): Promise<Verdict> {
  const useCache = process.env.EVENTWIRE_PARITY_CACHE !== 'off';
  const file = path.join(CACHE_FOLDER, `${cacheKey(documentPath, [documentPath, ...closure])}.json`);
  if (useCache) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Verdict;
    } catch {
      // Not kept yet: run the parser.
    }
  }
  parser ??= defaultParser();
  const text = readFileSync(documentPath, 'utf8');
  const { document, diagnostics } = await (await parser).parse(text, { source: documentPath });
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
  const verdict: Verdict = {
    accepted: document !== undefined,
    errorPlaces: [...new Set(errors.map((error) => diagnosticPlace(documentPath, error)))].sort(),
  };
  if (useCache) {
    mkdirSync(CACHE_FOLDER, { recursive: true });
    writeFileSync(file, JSON.stringify(verdict));
  }
  return verdict;
}
