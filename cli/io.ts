/**
 * What a command may touch of the outside world. Commands receive it instead of using `process` directly, so the
 * CLI can be driven in-process by tests and benchmarks exactly as it runs from a terminal.
 */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves when the user asks to stop (Ctrl-C); used by `--watch`. */
  readonly interrupted: Promise<void>;
}

export const EXIT = { ok: 0, findings: 1, badInput: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Wrong flags or arguments: exit 2 with the message and a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
