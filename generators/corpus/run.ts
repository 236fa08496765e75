/**
 * The whole corpus through the generator: every entry document generated into its own folder (or refused),
 * then every generated folder type-checked by one compiler Program, then every generated validators.js loaded.
 */
import path from 'node:path';
import { type CorpusDocument, corpusDocuments } from './documents.ts';
import { generateDocument, type Outcome } from './generate.ts';
import { typeCheckFolders } from './typecheck.ts';
import { checkValidators } from './validators.ts';

export interface DocumentResult {
  readonly document: CorpusDocument;
  readonly outcome: Outcome;
  /** Where its files were written (generated documents only). */
  readonly outDir?: string;
  /** Compiler diagnostics of its generated TypeScript. */
  readonly typeErrors: readonly string[];
  /** Problems loading its generated validators.js. */
  readonly validatorProblems: readonly string[];
}

export interface CorpusRun {
  readonly results: readonly DocumentResult[];
  /** Compiler problems not tied to one document (options, global types). */
  readonly globalTypeErrors: readonly string[];
  readonly typeCheckedFiles: number;
  readonly timings: { readonly generateMs: number; readonly typeCheckMs: number };
}

/** A folder name for the document's output: its path with separators flattened. */
function folderName(file: string): string {
  return file.replace(/[^\w.@-]+/g, '_');
}

export async function runCorpus(corpus: string, workDir: string): Promise<CorpusRun> {
  const started = performance.now();
  const generated: Array<{ document: CorpusDocument; outcome: Outcome; outDir: string }> = [];
  // One document at a time: the parser is one instance per process and the work is CPU-bound anyway.
  for (const document of await corpusDocuments(corpus)) {
    const outDir = path.join(workDir, folderName(document.file));
    generated.push({ document, outcome: await generateDocument(document, corpus, outDir), outDir });
  }
  const generateMs = performance.now() - started;
  const folders = generated.filter((g) => g.outcome.kind === 'generated').map((g) => g.outDir);
  const checked = await typeCheckFolders(folders);
  const results: DocumentResult[] = [];
  for (const { document, outcome, outDir } of generated) {
    if (outcome.kind !== 'generated') {
      results.push({ document, outcome, typeErrors: [], validatorProblems: [] });
      continue;
    }
    results.push({
      document,
      outcome,
      outDir,
      typeErrors: checked.byFolder.get(outDir) ?? [],
      validatorProblems: await checkValidators(checked.program, outDir, outcome.files),
    });
  }
  return {
    results,
    globalTypeErrors: checked.global,
    typeCheckedFiles: checked.files,
    timings: { generateMs, typeCheckMs: performance.now() - started - generateMs },
  };
}
