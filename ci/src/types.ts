/**
 * What `eventwire check` and `eventwire diff` report. Check findings are Diagnostics (generators/diagnostics),
 * the type every stage reports problems in; the JSON outputs are described in ci/schemas/.
 */
import type { Severity } from '../../generators/diagnostics/diagnostic.ts';

export type { Diagnostic, Severity } from '../../generators/diagnostics/diagnostic.ts';
export type SeveritySetting = Severity | 'off';

export type Classification = 'breaking' | 'non-breaking' | 'undecidable';

export interface Change {
  readonly rule: string;
  readonly classification: Classification;
  readonly file: string;
  readonly pointer: string;
  readonly message: string;
  /** Services on the other side of the channel: subscribers for a send change, publishers for a receive change. */
  readonly affects: readonly string[];
  /** The service and operation the change is seen from. */
  readonly service?: string;
  readonly operation?: string;
  readonly line?: number;
  readonly column?: number;
}

export type OutputFormat = 'human' | 'json' | 'github' | 'sarif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['human', 'json', 'github', 'sarif'];
