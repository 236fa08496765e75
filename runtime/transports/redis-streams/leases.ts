/**
 * Ownership of pending entries: lease renewal, re-claiming an entry after its retry backoff, and taking over
 * entries whose owner went silent. All three run as Lua scripts (scripts.ts) so "who owns it" is checked and acted
 * on atomically, and all report Redis' delivery counter, which is the attempt number.
 */
import { type RawEntry, entryList, text } from './replies.ts';
import { CLAIM_IDLE, CLAIM_OWNED, RENEW_LEASES, runScript, SET_COUNTS } from './scripts.ts';
import type { StreamRef } from './stream-ref.ts';

export interface ClaimedEntry {
  readonly entry: RawEntry;
  /** Delivery count after the claim: the attempt this delivery is. */
  readonly attempt: number;
}

/** Resets the idle time of the given entries this consumer still owns; returns those ids. */
export async function renewLeases(ref: StreamRef, ids: readonly string[]): Promise<Set<string>> {
  const owned = new Set<string>();
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const reply = await runScript(ref.commands, RENEW_LEASES, ref.stream, [
      ref.group,
      ref.consumer,
      ...chunk,
    ]);
    for (const id of Array.isArray(reply) ? reply : []) owned.add(text(id));
  }
  return owned;
}

/**
 * Claims an entry this consumer owns again: after a failure the delivery counter goes up by one, after a wait
 * (`wait`) it stays. 'lost': another consumer owns it now; 'gone': it was trimmed from the stream meanwhile.
 */
export async function claimOwned(
  ref: StreamRef,
  id: string,
  wait: boolean,
): Promise<ClaimedEntry | 'lost' | 'gone'> {
  const reply = await runScript(ref.commands, CLAIM_OWNED, ref.stream, [
    ref.group,
    ref.consumer,
    id,
    wait ? '1' : '0',
  ]);
  if (!Array.isArray(reply)) return 'lost';
  const entry = entryList(reply[0])[0];
  if (entry === undefined) return 'gone';
  return { entry, attempt: Number(reply[1]) || 1 };
}

/** Ids of the entries pending under this consumer's name, oldest first, at most `count`. */
export async function ownPending(ref: StreamRef, count: number): Promise<string[]> {
  const reply = await ref.commands.call('XPENDING', ref.stream, ref.group, '-', '+', count, ref.consumer);
  return (Array.isArray(reply) ? reply : []).map((row) => text((row as unknown[])[0]));
}

/** Sets the delivery counters of entries this consumer still owns (waits handed over at stop). */
export async function setCounts(ref: StreamRef, counts: ReadonlyMap<string, number>): Promise<void> {
  if (counts.size === 0) return;
  const pairs = [...counts].flatMap(([id, count]) => [id, Math.max(0, count)]);
  await runScript(ref.commands, SET_COUNTS, ref.stream, [ref.group, ref.consumer, ...pairs]);
}

/** XAUTOCLAIM of entries idle for `minIdleMs`, at most `count`, from `cursor`; returns the next cursor. */
export async function claimIdle(
  ref: StreamRef,
  minIdleMs: number,
  cursor: string,
  count: number,
): Promise<{ cursor: string; claimed: ClaimedEntry[] }> {
  const reply = await runScript(ref.commands, CLAIM_IDLE, ref.stream, [
    ref.group,
    ref.consumer,
    minIdleMs,
    cursor,
    count,
  ]);
  const [next, rawEntries, counts] = reply as [unknown, unknown, unknown];
  const claimed = entryList(rawEntries).map((entry, index) => ({
    entry,
    attempt: (Array.isArray(counts) ? Number(counts[index]) : 1) || 1,
  }));
  return { cursor: text(next), claimed };
}
