/**
 * Verdict parity: eventwire validates AsyncAPI 3 documents without the parser (validate-v3.ts) and 1.x/2.x ones
 * with it; over every document it knows, it must accept exactly the documents the AsyncAPI parser with its
 * default rulesets accepts, and refuse the others with errors at the same places (file and JSON pointer; the
 * words may differ, and warnings are not compared). The parser really runs; its verdicts are kept by content
 * hash in .tmp/verdict-parity/ (parity/parser-verdict.ts), so a second run only pays for changed documents.
 *
 * Corpora: this repository's asyncapi/, the test suite's fixtures (valid and invalid), and, from the shared
 * folder (EVENTWIRE_SHARED, default ../shared), corpus/asyncapi-real and corpus/asyncapi-peer (valid and invalid).
 *
 * AsyncAPI 1.x/2.x documents are still validated by the parser (then converted); for them the verdict must be
 * the same, but not the places: before converting, eventwire refuses a document whose shape the converter
 * cannot take (no `info`, no `channels`, a malformed `$ref`) with that one error, where the parser lists
 * everything else that is wrong as well.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusAvailable, corpusDocuments, corpusFolder, REPO_ROOT } from '../corpus/documents.ts';
import { peerAvailable, peerDocuments } from '../corpus/peer.ts';
import { eventwireVerdict } from './parity/eventwire-verdict.ts';
import { parserVerdict } from './parity/parser-verdict.ts';

interface Difference {
  readonly document: string;
  readonly eventwire: unknown;
  readonly parser: unknown;
}

async function differences(
  documents: readonly string[],
  base: string,
  refsRoot?: string,
): Promise<Difference[]> {
  const found: Difference[] = [];
  const shown = (place: string) => path.relative(base, place);
  for (const document of documents) {
    const ours = await eventwireVerdict(document, refsRoot);
    if (ours.remote) continue;
    const theirs = await parserVerdict(document, ours.closure);
    const same =
      ours.accepted === theirs.accepted &&
      (ours.legacy || JSON.stringify(ours.errorPlaces) === JSON.stringify(theirs.errorPlaces));
    if (!same) {
      found.push({
        document: shown(document),
        eventwire: { accepted: ours.accepted, errors: ours.errorPlaces.map(shown) },
        parser: { accepted: theirs.accepted, errors: theirs.errorPlaces.map(shown) },
      });
    }
  }
  return found;
}

const entries = async (folder: string) => (await corpusDocuments(folder)).map((d) => d.absPath);
const TIMEOUT = 20 * 60_000;

describe('verdict parity with the AsyncAPI parser (default rulesets)', () => {
  it('asyncapi/ (the platform contracts)', { timeout: TIMEOUT }, async () => {
    const folder = path.join(REPO_ROOT, 'asyncapi');
    const documents = await entries(folder);
    expect(documents.length).toBeGreaterThan(20);
    expect(await differences(documents, folder)).toEqual([]);
  });

  it('the test suite fixtures, valid and invalid', { timeout: TIMEOUT }, async () => {
    const folders = ['generators/model/__fixtures__', 'cli/__fixtures__'].map((f) => path.join(REPO_ROOT, f));
    const documents = (await Promise.all(folders.filter(existsSync).map(entries))).flat();
    expect(documents.length).toBeGreaterThan(10);
    expect(await differences(documents, REPO_ROOT)).toEqual([]);
  });

  const real = corpusFolder();
  it.skipIf(!corpusAvailable(real))(
    `shared corpus asyncapi-real (${corpusAvailable(real) ? real : `ABSENT: ${real} not found, not compared`})`,
    { timeout: TIMEOUT },
    async () => {
      const documents = await entries(real);
      expect(documents.length).toBeGreaterThan(40);
      // The corpus's documents share parts beside their folders (`../common/`): the corpus is their refs root.
      expect(await differences(documents, real, real)).toEqual([]);
    },
  );

  for (const kind of ['valid', 'invalid'] as const) {
    it.skipIf(!peerAvailable())(
      `shared corpus asyncapi-peer, ${kind} documents${peerAvailable() ? '' : ' (ABSENT: not compared)'}`,
      { timeout: TIMEOUT },
      async () => {
        const documents = peerDocuments(kind).map((d) => d.absPath);
        expect(documents.length).toBeGreaterThan(20);
        expect(await differences(documents, path.dirname(documents[0] ?? ''))).toEqual([]);
      },
    );
  }
});
