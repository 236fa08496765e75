/** What `eventwire check` and `eventwire diff` report. The JSON outputs are these objects (ci/schemas/). */

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

export interface Finding {
  /** Rule id, e.g. `topology/unmatched-subscription`. */
  readonly rule: string;
  readonly severity: Severity;
  /** Contract file, relative to the directory the contracts were loaded from (POSIX separators). */
  readonly file: string;
  /** JSON pointer (RFC 6901) into `file`. */
  readonly pointer: string;
  readonly message: string;
  /** How to fix it, when there is a concrete fix. */
  readonly suggestion?: string;
  /** The channel address the finding is about (used by ignore entries that name an address). */
  readonly address?: string;
  /** 1-based position of `pointer` in `file`, filled in by the formatters when the file can be read. */
  readonly line?: number;
  readonly column?: number;
}

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
