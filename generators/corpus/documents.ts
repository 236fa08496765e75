/**
 * Where the public corpus of AsyncAPI documents lives (outside the repository) and which of its files are
 * entry documents: a file with a top-level `asyncapi` key. Files it references (schemas, messages, servers)
 * are read through `$ref` and are not entry points.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { compareText } from '../parse/compare.ts';
import { expandPaths } from '../parse/expand.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** `$EVENTWIRE_SHARED/corpus/asyncapi-real`, the shared folder defaulting to the repository's sibling. */
export function corpusFolder(env: NodeJS.ProcessEnv = process.env): string {
  const shared = env.EVENTWIRE_SHARED ?? path.resolve(REPO_ROOT, '../shared');
  return path.join(shared, 'corpus', 'asyncapi-real');
}

export function corpusAvailable(folder: string): boolean {
  return existsSync(folder);
}

export interface CorpusDocument {
  /** Path inside the corpus folder, POSIX separators: the name tests, errors and the report use. */
  readonly file: string;
  readonly absPath: string;
  /** The `asyncapi` version as written (2.x documents are converted in memory by the loader). */
  readonly version: string;
}

/**
 * A file whose YAML does not even parse is kept as an entry when it looks like a document, so the loader's
 * refusal of it shows up instead of the file silently dropping out of the corpus.
 */
function asyncApiVersion(text: string): string | undefined {
  try {
    const data: unknown = parse(text);
    if (data === null || typeof data !== 'object' || Array.isArray(data) || !('asyncapi' in data)) return;
    return String((data as { asyncapi: unknown }).asyncapi);
  } catch {
    return /^["']?asyncapi["']?\s*:/m.test(text) ? 'unreadable' : undefined;
  }
}

/** Entry documents, sorted by path; the same search the loader does over a folder (*.yaml, *.yml, *.json). */
export async function corpusDocuments(folder: string): Promise<CorpusDocument[]> {
  const { entries } = await expandPaths([folder]);
  const documents: CorpusDocument[] = [];
  for (const { absPath } of entries) {
    const version = asyncApiVersion(await readFile(absPath, 'utf8'));
    if (version === undefined) continue;
    documents.push({ file: path.relative(folder, absPath).split(path.sep).join('/'), absPath, version });
  }
  return documents.sort((a, b) => compareText(a.file, b.file));
}
