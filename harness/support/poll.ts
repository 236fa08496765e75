/**
 * Waiting for asynchronous effects without fixed sleeps: the harness runs on loaded shared machines, where a
 * sleep long enough to be safe makes every run slow and one short enough to be fast makes runs flaky.
 */

/** Resolves once `check` returns true; rejects naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<void> {
  await eventually(what, async () => ((await check()) ? true : undefined), timeoutMs, intervalMs);
}

/** Resolves with the first defined value `probe` returns; rejects naming `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
