/** Building the diagnostics of the parse stage. */
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.ts';
import type { ContractFiles, Location } from './files.ts';
import type { ParseCode } from './types.ts';

/** A problem at a place in a file; the line and column are looked up in the file's YAML when it has one. */
export function contractError(
  files: ContractFiles,
  location: Location,
  code: ParseCode,
  message: string,
  hint?: string,
  severity: Severity = 'error',
): Diagnostic {
  const position = files.locate(location);
  return {
    stage: 'parse',
    code,
    severity,
    file: files.display(location.file),
    ...(position ? { line: position.line, column: position.column } : {}),
    pointer: location.pointer,
    message,
    ...(hint ? { hint } : {}),
  };
}
