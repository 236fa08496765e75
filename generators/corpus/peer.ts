/**
 * The peer corpus: documents and before/after pairs taken from the test suites of AsyncAPI's own tools
 * (@asyncapi/parser, @asyncapi/diff), each folder with an `expect.json` giving the verdict those tests assert.
 * It lives beside the repository in `$EVENTWIRE_SHARED/corpus/asyncapi-peer/` (SOURCES.md there says where each
 * file comes from); this module reads it and runs eventwire over it the way the CLI would.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type DiffArgs, diffCommand } from '../../ci/src/commands/diff.ts';
import { compareText } from '../parse/compare.ts';
import { REPO_ROOT } from './documents.ts';

export function peerFolder(env: NodeJS.ProcessEnv = process.env): string {
  const shared = env.EVENTWIRE_SHARED ?? path.resolve(REPO_ROOT, '../shared');
  return path.join(shared, 'corpus', 'asyncapi-peer');
}

/** One document of `parser/valid` or `parser/invalid` and what the peer's tests assert about it. */
export interface PeerDocument {
  readonly file: string;
  readonly absPath: string;
  readonly expect: 'valid' | 'invalid';
  /** The AsyncAPI version as written. */
  readonly asyncapi: string;
  /** Error messages of the rule the peer's test enabled (rule tests only). */
  readonly assertedErrors: readonly string[];
  /** True when the peer's parser, with every rule on, reports only the asserted rule's errors. */
  readonly onlyAssertedRuleFails: boolean;
}

interface ExpectEntry {
  readonly expect: 'valid' | 'invalid';
  readonly asyncapi: string;
  readonly asserted_errors?: readonly string[];
  readonly only_asserted_rule_fails?: boolean;
}

export function peerDocuments(kind: 'valid' | 'invalid', folder = peerFolder()): PeerDocument[] {
  const dir = path.join(folder, 'parser', kind);
  const expectations = JSON.parse(readFileSync(path.join(dir, 'expect.json'), 'utf8')) as Record<
    string,
    ExpectEntry
  >;
  return Object.entries(expectations)
    .map(([file, entry]) => ({
      file,
      absPath: path.join(dir, file),
      expect: entry.expect,
      asyncapi: entry.asyncapi,
      assertedErrors: entry.asserted_errors ?? [],
      onlyAssertedRuleFails: entry.only_asserted_rule_fails === true,
    }))
    .sort((a, b) => compareText(a.file, b.file));
}

/** breaking / not breaking / unclassified by the peer (`null`), as `@asyncapi/diff` 0.5.0 classifies the pair. */
export type PeerVerdict = boolean | null;

export interface PeerPair {
  readonly name: string;
  readonly dir: string;
  readonly breaking: PeerVerdict;
  readonly change: string;
}

export function peerPairs(folder = peerFolder()): PeerPair[] {
  const dir = path.join(folder, 'diff');
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort(compareText)
    .map((name) => {
      const expectation = JSON.parse(readFileSync(path.join(dir, name, 'expect.json'), 'utf8')) as {
        breaking: PeerVerdict;
        change?: string;
      };
      return {
        name,
        dir: path.join(dir, name),
        breaking: expectation.breaking,
        change: expectation.change ?? '',
      };
    });
}

export type DiffVerdict =
  | { readonly kind: 'classified'; readonly breaking: PeerVerdict; readonly rules: readonly string[] }
  | { readonly kind: 'refused'; readonly output: string };

/**
 * `eventwire diff old.yaml new.yaml` on a pair, aggregated as the peer corpus aggregates: any breaking change
 * → true; else any undecidable change → null; else false. Exit 2 (a side refused) is `refused`.
 */
export async function diffVerdict(pair: PeerPair): Promise<DiffVerdict> {
  const args: DiffArgs = { old: 'old.yaml', new: 'new.yaml', format: 'json', cwd: pair.dir, color: false };
  const result = await diffCommand(args);
  if (result.exitCode === 2) return { kind: 'refused', output: result.output };
  const { changes } = JSON.parse(result.output) as {
    changes: { rule: string; classification: 'breaking' | 'non-breaking' | 'undecidable' }[];
  };
  const has = (classification: string) => changes.some((c) => c.classification === classification);
  return {
    kind: 'classified',
    breaking: has('breaking') ? true : has('undecidable') ? null : false,
    rules: [...new Set(changes.map((c) => c.rule))].sort(),
  };
}

export const peerAvailable = (folder = peerFolder()): boolean => existsSync(path.join(folder, 'parser'));
