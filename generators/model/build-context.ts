/** State shared by the model builders: diagnostics, source locations, extension reads, schema copies. */
import type { ContractFiles, Location } from '../parse/files.ts';
import { compareText } from '../parse/compare.ts';
import type { ParsedDocument } from '../parse/types.ts';
import { isRecord } from '../parse/pointer.ts';
import { ResolvingCopier } from '../parse/resolve.ts';
import { isValidExtension } from './extensions.ts';
import { type Diagnostic, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import type { SourceRef } from './types.ts';

interface Reported {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly expected?: string;
  readonly hint?: string;
  readonly source: SourceRef;
}

export class BuildContext {
  readonly #diagnostics = new Map<string, Reported>();
  readonly #copiers = new Map<ContractFiles, ResolvingCopier>();

  report(
    severity: Reported['severity'],
    code: string,
    message: string,
    source: SourceRef,
    hint?: string,
    expected?: string,
  ): void {
    const key = [code, source.file, source.pointer, message].join('\u0000');
    if (!this.#diagnostics.has(key)) {
      const more = { ...(expected ? { expected } : {}), ...(hint ? { hint } : {}) };
      this.#diagnostics.set(key, { severity, code, message, ...more, source });
    }
  }

  /**
   * Every problem reported, at its line and column in `files` (the load's files; none for a model built
   * without them): sorted, so the same contracts always give the same list.
   */
  diagnostics(files: ContractFiles | undefined): Diagnostic[] {
    return sortDiagnostics(
      [...this.#diagnostics.values()].map(({ source, ...reported }) => ({
        stage: 'model' as const,
        ...reported,
        file: source.file,
        pointer: source.pointer,
        ...(files ? positionOf(files, source) : {}),
      })),
    );
  }

  /** Where the node at `pointer` of the resolved document was written (following `$ref`s across files). */
  location(doc: ParsedDocument, pointer: string): Location {
    return doc.files.origin(doc.view, pointer);
  }

  source(doc: ParsedDocument, pointer: string): SourceRef {
    const { file, pointer: at } = this.location(doc, pointer);
    return { file: doc.files.display(file), pointer: at };
  }

  /** The extension's value when present and valid; invalid values are reported by the extension check. */
  extension<T>(node: unknown, name: string): T | undefined {
    if (!isRecord(node) || !(name in node)) return undefined;
    const value = node[name];
    return isValidExtension(name, value) ? (value as T) : undefined;
  }

  copier(doc: ParsedDocument): ResolvingCopier {
    const copier = this.#copiers.get(doc.files) ?? new ResolvingCopier(doc.files);
    this.#copiers.set(doc.files, copier);
    return copier;
  }
}

/** The entries of a map-like object in key order: ids never depend on how a file was written. */
export function sortedEntries(value: unknown): Array<[string, Record<string, unknown>]> {
  if (!isRecord(value)) return [];
  return Object.entries(value)
    .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
    .sort(([a], [b]) => compareText(a, b));
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Line and column of a source; in a converted 1.x/2.x file only places that exist in the file as written have one. */
function positionOf(files: ContractFiles, source: SourceRef): { line?: number; column?: number } {
  const location = { file: files.absolute(source.file), pointer: source.pointer };
  if (files.hasConvertedView(location.file) && files.resolve(location) === undefined) return {};
  return files.locate(location) ?? {};
}
