/**
 * Runs the loader and the model builder over a folder of AsyncAPI documents written elsewhere, one model per
 * document, and lists what was built and what was refused with the reasons (the README's compatibility list).
 */
import { isError } from '../diagnostics/diagnostic.ts';
import { compareText } from '../parse/compare.ts';
import { loadDocuments } from '../parse/load.ts';
import type { Diagnostic, LoadTimings } from '../parse/types.ts';
import { buildModel } from './build.ts';
import type { ContractModel } from './types.ts';

export interface CorpusEntry {
  /** Path inside the corpus folder. */
  readonly file: string;
  readonly status: 'built' | 'refused';
  /** Errors that refused the document (empty when built). */
  readonly reasons: readonly Diagnostic[];
  /** The document's model, when built. */
  readonly model?: ContractModel;
  readonly convertedFrom?: string;
}

export interface CorpusReport {
  readonly entries: readonly CorpusEntry[];
  readonly built: number;
  readonly refused: number;
  readonly timings: LoadTimings & { readonly buildMs: number };
}

export async function checkCorpus(folder: string): Promise<CorpusReport> {
  const loaded = await loadDocuments([folder], { root: folder });
  const started = performance.now();
  const entries: CorpusEntry[] = loaded.refused.map((refused) => ({
    file: refused.file,
    status: 'refused',
    reasons: refused.reasons,
  }));
  for (const doc of loaded.documents) {
    const model = buildModel([doc]);
    const reasons = model.diagnostics.filter(isError);
    const converted = doc.convertedFrom ? { convertedFrom: doc.convertedFrom } : {};
    entries.push(
      reasons.length > 0
        ? { file: doc.file, status: 'refused', reasons, ...converted }
        : { file: doc.file, status: 'built', reasons: [], model, ...converted },
    );
  }
  entries.sort((a, b) => compareText(a.file, b.file));
  const built = entries.filter((entry) => entry.status === 'built').length;
  return {
    entries,
    built,
    refused: entries.length - built,
    timings: { ...loaded.timings, buildMs: performance.now() - started },
  };
}

/** A Markdown summary: counts, then each refused document with its reasons. */
export function formatCorpusReport(report: CorpusReport): string {
  const lines = [
    `${report.built} of ${report.entries.length} documents build a model; ${report.refused} refused:`,
    '',
  ];
  for (const entry of report.entries.filter((e) => e.status === 'refused')) {
    lines.push(`- \`${entry.file}\``);
    for (const reason of entry.reasons) {
      const where = [reason.line === undefined ? '' : `line ${reason.line}`, reason.pointer]
        .filter(Boolean)
        .join(' ');
      lines.push(`  - ${reason.code}${where ? ` (${where})` : ''}: ${reason.message}`);
    }
  }
  return lines.join('\n');
}
