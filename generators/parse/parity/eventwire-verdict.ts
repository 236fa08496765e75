/**
 * eventwire's validation verdict on one document, in the terms parser-verdict.ts gives the parser's: the
 * loader's result with the refusals that are eventwire's own policy left out (schema formats it cannot
 * generate code for), every error located as `file#pointer`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { ContractFiles } from '../files.ts';
import { loadDocuments } from '../load.ts';
import { crawlRefs } from '../refs.ts';
import type { Verdict } from './parser-verdict.ts';

/** Errors that are eventwire's policy, not validation: the parser accepts such documents. */
const POLICY_CODES = new Set(['unsupported-schema-format']);
/** Documents eventwire refuses to read at all: the parser would fetch the network. Not compared. */
export const REMOTE_REF = 'remote-ref';

export interface EventwireVerdict extends Verdict {
  /** The files the document references (for the parser verdict's cache key). */
  readonly closure: readonly string[];
  /** It references a remote URL. */
  readonly remote: boolean;
  /** An AsyncAPI 1.x/2.x document (validated by the parser, then converted). */
  readonly legacy: boolean;
}

/** The `asyncapi` version as written ('' when the file does not read). */
async function writtenVersion(documentPath: string): Promise<string> {
  try {
    const data = parse(await readFile(documentPath, 'utf8')) as { asyncapi?: unknown } | null;
    return String(data?.asyncapi ?? '');
  } catch {
    return '';
  }
}

/**
 * `refsRoot` is the corpus the document belongs to: confining `$ref`s to a root is eventwire's policy, not
 * validation, and a corpus's documents share parts beside their own folders (`../common/`).
 */
export async function eventwireVerdict(documentPath: string, refsRoot?: string): Promise<EventwireVerdict> {
  const root = path.dirname(documentPath);
  const result = await loadDocuments([documentPath], {
    root,
    cacheDir: false,
    ...(refsRoot ? { refsRoot } : {}),
  });
  const errors = result.errors.filter((error) => !POLICY_CODES.has(error.code));
  const places = errors.map((error) => `${path.resolve(root, error.file)}#${error.pointer}`);
  const closure = await crawlRefs(new ContractFiles(root), documentPath).catch(() => ({ files: [] }));
  return {
    accepted: errors.length === 0,
    errorPlaces: [...new Set(places)].sort(),
    closure: closure.files,
    remote: result.errors.some((error) => error.code === REMOTE_REF),
    legacy: /^[12]\./.test(await writtenVersion(documentPath)),
  };
}
