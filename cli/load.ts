/**
 * Loads contracts into the model for a command and prints every problem the way a user can act on it:
 * `file:line:col  pointer  message (hint)`. Returns undefined when the contracts cannot be used (exit 2).
 */
import { relative } from 'node:path';
import { type LoadedModel, loadModel } from '../generators/model/index.ts';
import type { ContractModel } from '../generators/model/types.ts';
import type { CliIo } from './io.ts';

export interface Problem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
  readonly message: string;
  readonly hint?: string;
}

export function formatProblem(problem: Problem, cwd: string, label: 'error' | 'warning'): string {
  const file = relative(cwd, problem.file) || problem.file;
  const position =
    problem.line !== undefined
      ? `:${problem.line}${problem.column !== undefined ? `:${problem.column}` : ''}`
      : '';
  const pointer = problem.pointer ? ` ${problem.pointer}` : '';
  const hint = problem.hint ? `\n    hint: ${problem.hint}` : '';
  return `${file}${position}${pointer}\n  ${label}: ${problem.message}${hint}`;
}

export async function loadContracts(
  inputs: readonly string[],
  io: CliIo,
  options: { readonly quiet?: boolean } = {},
): Promise<ContractModel | undefined> {
  const loaded = await loadModel([...inputs]);
  return reportProblems(loaded, io, options) ? loaded.model : undefined;
}

/** Prints warnings (unless quiet) and errors; true when the contracts can be used. */
export function reportProblems(
  loaded: LoadedModel,
  io: CliIo,
  options: { readonly quiet?: boolean } = {},
): boolean {
  const { errors, warnings } = loaded;
  // Warnings never stop generation, but a user must learn that, say, a 2.x document was converted in memory.
  if (!options.quiet && warnings.length > 0) {
    io.stderr(`${warnings.map((w) => formatProblem(w, io.cwd, 'warning')).join('\n')}\n`);
  }
  const problems: readonly Problem[] = errors;
  if (problems.length === 0) return true;
  io.stderr(`${problems.map((p) => formatProblem(p, io.cwd, 'error')).join('\n')}\n`);
  io.stderr(`${problems.length} error(s) in the contracts; nothing was generated.\n`);
  return false;
}
