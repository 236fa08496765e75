/** A topology that cannot exist: conflicting declarations or invalid names. `hints` say how to fix it. */
export class TopologyError extends Error {
  readonly hints: readonly string[];
  constructor(message: string, hints: readonly string[] = []) {
    super(hints.length > 0 ? `${message}\n  fix: ${hints.join('\n  fix: ')}` : message);
    this.name = 'TopologyError';
    this.hints = hints;
  }
}
