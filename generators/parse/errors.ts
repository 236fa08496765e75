/** Building, ordering and printing ContractErrors. */
import path from 'node:path';
import { compareText } from './compare.ts';
import type { ContractFiles, Location } from './files.ts';
import type { ContractError, ContractErrorCode } from './types.ts';

/** An error at a place in a file; the line and column are looked up in the file's YAML when it has one. */
export function contractError(
  files: ContractFiles,
  location: Location,
  code: ContractErrorCode,
  message: string,
  hint?: string,
): ContractError {
  const position = files.locate(location);
  return {
    code,
    file: files.display(location.file),
    ...(position ? { line: position.line, column: position.column } : {}),
    pointer: location.pointer,
    message,
    ...(hint ? { hint } : {}),
  };
}

/**
 * How every command prints a contract problem to a person (generate, check, diff, test, load):
 *
 *   file:line:col /json/pointer
 *     error: what is wrong
 *       hint: how to fix it
 *
 * `file:line:col` first, alone, so editors and CI logs turn it into a link. `label` prefixes the file (the
 * git revision of the old side of `diff --against`).
 */
export function formatProblem(
  problem: Pick<ContractError, 'file' | 'line' | 'column' | 'pointer' | 'message' | 'hint'>,
  options: { readonly severity?: 'error' | 'warning'; readonly cwd?: string; readonly label?: string } = {},
): string {
  const file = options.cwd ? path.relative(options.cwd, problem.file) || problem.file : problem.file;
  const position =
    problem.line !== undefined
      ? `:${problem.line}${problem.column !== undefined ? `:${problem.column}` : ''}`
      : '';
  const pointer = problem.pointer ? ` ${problem.pointer}` : '';
  const hint = problem.hint ? `\n    hint: ${problem.hint}` : '';
  return `${options.label ?? ''}${file}${position}${pointer}\n  ${options.severity ?? 'error'}: ${problem.message}${hint}`;
}

/** `file:line:col pointer — message (hint)` on one line: for tables and test messages, not for a person's terminal. */
export function formatError(error: ContractError): string {
  const place = [error.file, error.line, error.line === undefined ? undefined : error.column]
    .filter((part) => part !== undefined)
    .join(':');
  const pointer = error.pointer === '' ? '' : ` ${error.pointer}`;
  const hint = error.hint ? ` (${error.hint})` : '';
  return `${place}${pointer} — ${error.message}${hint}`;
}

function errorKey(error: ContractError): string {
  return [error.file, error.line, error.column, error.pointer, error.code, error.message].join('\u0000');
}

/** Sorted by file, line, pointer; the same error reported through several documents appears once. */
export function sortErrors(errors: Iterable<ContractError>): ContractError[] {
  const unique = new Map<string, ContractError>();
  for (const error of errors) if (!unique.has(errorKey(error))) unique.set(errorKey(error), error);
  return [...unique.values()].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compareText(a.pointer, b.pointer) ||
      compareText(a.message, b.message),
  );
}
