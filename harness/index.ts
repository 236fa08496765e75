/**
 * `eventwire/harness`: the engine of `eventwire test` as a library, for a team's own test files (the same
 * properties, plus assertions on its own effects). See harness/README.md.
 */
export type * from './engine/types.ts';
