/**
 * The one shape of every problem eventwire reports about contracts, whoever finds it: the parser (a file that
 * cannot be read as AsyncAPI), the model builder (a readable contract that breaks an eventwire rule), an
 * emitter, or a check rule (lint, topology, payload compatibility). Every command prints it with format.ts, so
 * the same problem reads the same from `generate`, `check`, `diff`, `test` and `load`.
 */
import { compareText } from '../parse/compare.ts';

export type Severity = 'error' | 'warning' | 'info';

/**
 * Who found it. `parse`: the document cannot be used at all (bad input for every command). `model` and `emit`:
 * the contract is readable but breaks a rule of eventwire's (generate refuses it; check reports it as a finding,
 * its severity open to configuration). `check`: a rule of `eventwire check`.
 */
export type Stage = 'parse' | 'model' | 'emit' | 'check';

export interface Diagnostic {
  readonly stage: Stage;
  /**
   * What kind of problem: the parser's and model builder's codes (`yaml-syntax`, `misplaced-extension`) or a
   * check rule id (`topology/unmatched-subscription`). ruleOf() gives every code its namespaced rule id.
   */
  readonly code: string;
  readonly severity: Severity;
  /** Path of the file that holds the problem, relative to the load root (POSIX separators). */
  readonly file: string;
  /** JSON pointer (RFC 6901) inside `file`; `''` is the whole file. */
  readonly pointer: string;
  /** 1-based position of `pointer` in `file`, when the file is YAML/JSON text that could be located. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /** What would have been accepted, when there is a form to show (`a duration such as "24h"`). */
  readonly expected?: string;
  /** How to fix it, when there is more to say than the message. */
  readonly hint?: string;
  /** The channel address the problem is about (ignore entries in the check configuration can name it). */
  readonly address?: string;
}

/**
 * The rule id a diagnostic is known by in configuration, SARIF and the printed text: check rule ids and codes
 * that already name their namespace (`lint/invalid-extension`) as they are, other codes under their stage
 * (`parse/yaml-syntax`, `model/misplaced-extension`).
 */
export function ruleOf(diagnostic: Pick<Diagnostic, 'stage' | 'code'>): string {
  return diagnostic.code.includes('/') ? diagnostic.code : `${diagnostic.stage}/${diagnostic.code}`;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareText(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareText(a.pointer, b.pointer) ||
    compareText(ruleOf(a), ruleOf(b)) ||
    compareText(a.message, b.message)
  );
}

function keyOf(diagnostic: Diagnostic): string {
  const { file, line, column, pointer, message } = diagnostic;
  return [file, line, column, pointer, ruleOf(diagnostic), message].join('\u0000');
}

/** Sorted by file, line, pointer, rule; the same problem reported more than once (through several documents) appears once. */
export function sortDiagnostics(diagnostics: Iterable<Diagnostic>): Diagnostic[] {
  const unique = new Map<string, Diagnostic>();
  for (const diagnostic of diagnostics) {
    const key = keyOf(diagnostic);
    if (!unique.has(key)) unique.set(key, diagnostic);
  }
  return [...unique.values()].sort(compareDiagnostics);
}

export const isError = (diagnostic: Diagnostic): boolean => diagnostic.severity === 'error';
