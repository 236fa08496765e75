/** Building, ordering and printing ContractErrors. */
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

/** `file:line:col pointer — message (hint)`: the shape editors and CI logs turn into links. */
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
