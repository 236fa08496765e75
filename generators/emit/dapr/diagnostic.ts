/** What the Dapr emitters report about a model they had to adapt or cannot express: Diagnostics of stage `emit`. */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { SourceRef } from '../../model/types.ts';

export function daprDiagnostic(found: {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly source: SourceRef;
}): Diagnostic {
  const { source, ...rest } = found;
  return { stage: 'emit', ...rest, file: source.file, pointer: source.pointer };
}
