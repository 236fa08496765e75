/**
 * The public-corpus guarantee: every AsyncAPI document of the shared corpus (written by other projects) is
 * either generated — and all its TypeScript type-checks under strict options, its validators load — or
 * refused with a Diagnostic on the allow-list of reasons (file, line, pointer, what, how to fix). One test
 * per document, so a failure names the file; the table of expected refusals must stay exactly true.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Diagnostic, formatDiagnosticLine } from '../model/index.ts';
import { MANIFEST_NAME } from '../pipeline/manifest.ts';
import { corpusAvailable, corpusDocuments, corpusFolder, REPO_ROOT } from './documents.ts';
import { REPORT_COMMAND, renderReadme } from './readme.ts';
import { type RefusalReasonId, reasonOf } from './reasons.ts';
import { type CorpusRun, runCorpus } from './run.ts';

/** Documents eventwire refuses, and why (see reasons.ts for the text each reason's error contains). */
const EXPECTED_REFUSALS: Readonly<Record<string, RefusalReasonId>> = {
  'asyncapi__jasyncapi/asyncapi-core/src/test/resources/examples/v3.0.0/xml/simple-string-schema.yaml':
    'xml-payload',
  'asyncapi__spec/examples/adeo-kafka-request-reply-asyncapi.yml': 'remote-ref',
  'asyncapi__spec/examples/rpc-client-asyncapi.yml': 'amqp-runtime-queue',
  'asyncapi__website/public/resources/casestudies/adeo/asyncapi.yaml': 'remote-ref',
};

const corpus = corpusFolder();
const available = corpusAvailable(corpus);
const documents = available ? await corpusDocuments(corpus) : [];
const title = available
  ? 'public AsyncAPI corpus'
  : `public AsyncAPI corpus — skipped: ${corpus} not found (set EVENTWIRE_SHARED to the shared folder)`;

/** A refusal users can act on: located in a corpus file, with a line, a pointer and a hint; no stack trace. */
function expectClearRefusal(error: Diagnostic): void {
  const shown = formatDiagnosticLine(error);
  expect(reasonOf(error), `not an allow-listed reason: ${shown}`).toBeDefined();
  expect(existsSync(path.join(corpus, error.file)), shown).toBe(true);
  expect(error.line, shown).toBeGreaterThan(0);
  expect(error.pointer, shown).toMatch(/^\//);
  expect(error.hint ?? '', shown).not.toBe('');
  expect(shown).not.toMatch(/\n\s+at |\b(TypeError|ReferenceError|RangeError|SyntaxError)\b|\bundefined\b/);
}

describe.skipIf(!available)(title, () => {
  let run: CorpusRun;
  let work: string;

  beforeAll(async () => {
    work = path.join(REPO_ROOT, '.tmp', `corpus-${process.pid}-${Date.now().toString(36)}`);
    await mkdir(work, { recursive: true });
    run = await runCorpus(corpus, work);
    const { generateMs, typeCheckMs } = run.timings;
    console.info(
      `corpus: ${run.results.length} documents generated in ${Math.round(generateMs)} ms; ` +
        `${run.typeCheckedFiles} generated .ts files type-checked and validators loaded in ${Math.round(typeCheckMs)} ms`,
    );
  }, 300_000);
  afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

  it('holds 40+ AsyncAPI 3 and 10 AsyncAPI 2 entry documents; every expected refusal is one of them', () => {
    expect(documents.filter((d) => d.version.startsWith('3.')).length).toBeGreaterThanOrEqual(40);
    expect(documents.filter((d) => d.version.startsWith('2.')).length).toBeGreaterThanOrEqual(10);
    const files = new Set(documents.map((d) => d.file));
    expect(Object.keys(EXPECTED_REFUSALS).filter((file) => !files.has(file))).toEqual([]);
    expect(run.results.map((r) => r.document.file)).toEqual(documents.map((d) => d.file));
  });

  it.each(documents.map((d) => [d.file]))('%s', (file) => {
    const result = run.results.find((r) => r.document.file === file);
    if (!result) throw new Error(`${file} was not run`);
    const { outcome } = result;
    if (outcome.kind === 'crashed')
      expect.fail(`the generator crashed instead of refusing:\n${outcome.error}`);
    const expected = EXPECTED_REFUSALS[file];
    if (outcome.kind === 'generated') {
      expect(expected, `generated now: remove it from EXPECTED_REFUSALS (was "${expected}")`).toBeUndefined();
      expect(outcome.files).toContain(MANIFEST_NAME);
      expect(outcome.files.some((f) => f.endsWith('/types.ts'))).toBe(true);
      expect(result.typeErrors, 'compiler errors in the generated code').toEqual([]);
      expect(result.validatorProblems, 'generated validators.js').toEqual([]);
      return;
    }
    const shown = outcome.errors.map(formatDiagnosticLine).join('\n');
    expect(expected, `refused, but not in EXPECTED_REFUSALS:\n${shown}`).toBeDefined();
    for (const error of outcome.errors) expectClearRefusal(error);
    expect(outcome.errors.map((e) => reasonOf(e)?.id)).toContain(expected);
  });

  it('raises no compiler problem outside the generated files (options, global types)', () => {
    expect(run.globalTypeErrors).toEqual([]);
    expect(run.typeCheckedFiles).toBeGreaterThan(100);
  });

  it(`README.md is the report of this run (regenerate with: ${REPORT_COMMAND})`, () => {
    const readme = readFileSync(path.join(import.meta.dirname, 'README.md'), 'utf8');
    expect(readme).toBe(renderReadme(run));
  });
});
