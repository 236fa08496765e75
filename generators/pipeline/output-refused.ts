/**
 * `generate` refuses to touch the output folder: it is not one eventwire may write (`/`, a home folder, a
 * repository root, a folder of someone else's files), or a path it would write or delete leads outside it.
 * Carries the place and the fix, printed as a diagnostic (generators/diagnostics/format.ts); the
 * command prints it and exits 2 with nothing written or deleted.
 */
export interface OutputProblem {
  /** The folder or file concerned, as the user named it. */
  readonly file: string;
  /** JSON pointer inside `file` (a manifest entry), when it is a JSON file. */
  readonly pointer?: string;
  readonly message: string;
  readonly hint: string;
}

export class OutputRefused extends Error {
  override readonly name = 'OutputRefused';
  readonly problem: OutputProblem;

  constructor(problem: OutputProblem) {
    super(`${problem.file}${problem.pointer ? ` ${problem.pointer}` : ''}: ${problem.message}`);
    this.problem = problem;
  }
}
