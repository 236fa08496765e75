/**
 * The output rendered while the parser still validates (`generate` renders the provisional model at once):
 * kept as a settled result so a rendering error only matters if the contracts turn out valid, and, for
 * `--watch`, written before the parser's verdict with an undo for when the parser refuses the edit.
 */
import { applySync, type SyncPlan, type SyncUndo } from '../generators/pipeline/sync.ts';

/** Applies the speculative plan when it is ready before validation ends; undefined when there is no point. */
export async function writeEarly(
  speculative: Promise<Settled<SyncPlan>>,
  final: Promise<unknown>,
): Promise<{ readonly plan: SyncPlan; readonly undo: SyncUndo } | undefined> {
  // Watched from the start: a verdict that fails while the output renders is the caller's to report, and must
  // not surface meanwhile as an unhandled rejection.
  const verdict = settlement(final);
  const result = await speculative;
  if ('error' in result || (await verdict.settledByNow())) return undefined;
  return { plan: result.value, undo: await applySync(result.value) };
}

/** Whether a promise has settled, asked later: every reaction already due runs before the next macrotask. */
function settlement(promise: Promise<unknown>): { settledByNow(): Promise<boolean> } {
  let done = false;
  const mark = () => {
    done = true;
  };
  promise.then(mark, mark);
  return {
    async settledByNow() {
      await new Promise((resolve) => setImmediate(resolve));
      return done;
    },
  };
}

export type Settled<T> = { readonly value: T } | { readonly error: unknown };

export function settled<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

export function unwrap(result: Settled<SyncPlan>): SyncPlan {
  if ('error' in result) throw result.error;
  return result.value;
}
