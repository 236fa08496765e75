/**
 * Prints the corpus report (Markdown) on stdout: `node generators/corpus/report.ts > generators/corpus/README.md`.
 * Exits 1 when a document failed (crash, unexpected refusal, errors in generated code), 2 without a corpus.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { corpusAvailable, corpusFolder, REPO_ROOT } from './documents.ts';
import { renderReadme, status } from './readme.ts';
import { runCorpus } from './run.ts';

const corpus = corpusFolder();
if (!corpusAvailable(corpus)) {
  process.stderr.write(`corpus report: ${corpus} not found; set EVENTWIRE_SHARED to the shared folder.\n`);
  process.exit(2);
}
const work = path.join(REPO_ROOT, '.tmp', `corpus-report-${randomBytes(4).toString('hex')}`);
await mkdir(work, { recursive: true });
try {
  const run = await runCorpus(corpus, work);
  process.stdout.write(renderReadme(run));
  const failed = run.results.filter((result) => status(result) === 'failed').length;
  process.stderr.write(
    `corpus report: ${run.results.length} documents, ${failed} failed; generate ${Math.round(run.timings.generateMs)} ms, type-check ${Math.round(run.timings.typeCheckMs)} ms\n`,
  );
  process.exitCode = failed > 0 || run.globalTypeErrors.length > 0 ? 1 : 0;
} finally {
  await rm(work, { recursive: true, force: true });
}
