/**
 * Line and column of a finding: the pointer is resolved in the YAML/JSON text of its file (each file parsed
 * once per run). Presentation only: the rules never read documents, the formatters just point into them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { locate } from '../../../generators/parse/locate.ts';

type Parsed = { readonly doc: Document.Parsed; readonly lines: LineCounter } | null;

export class Locator {
  readonly #cwd: string;
  readonly #files = new Map<string, Parsed>();

  constructor(cwd: string) {
    this.#cwd = cwd;
  }

  #parse(file: string): Parsed {
    if (this.#files.has(file)) return this.#files.get(file) ?? null;
    let parsed: Parsed = null;
    try {
      const lines = new LineCounter();
      const doc = parseDocument(readFileSync(path.resolve(this.#cwd, file), 'utf8'), {
        lineCounter: lines,
      }) as Document.Parsed;
      parsed = { doc, lines };
    } catch {
      parsed = null;
    }
    this.#files.set(file, parsed);
    return parsed;
  }

  /** 1-based line and column, or undefined when the file cannot be read. */
  position(file: string, pointer: string): { line: number; column: number } | undefined {
    const parsed = this.#parse(file);
    if (!parsed) return undefined;
    return locate(parsed.doc, parsed.lines, pointer);
  }
}

/** Adds `line`/`column` to every item whose file can be read. */
export function withPositions<T extends { readonly file: string; readonly pointer: string }>(
  items: readonly T[],
  cwd: string,
): T[] {
  const locator = new Locator(cwd);
  return items.map((item) => {
    const position = locator.position(item.file, item.pointer);
    return position ? { ...item, line: position.line, column: position.column } : item;
  });
}
