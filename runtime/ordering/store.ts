/**
 * The last processed sequence number per ordering key. `advance` only moves forward (a late or repeated
 * write of a lower sequence is ignored), so concurrent writers cannot move a key backwards.
 */
export interface OrderingStore {
  /** The last processed sequence for `key`, or null when none is recorded. */
  last(key: string): Promise<number | null>;
  /** Record `sequence` as processed if it is above the current value; returns whether it moved. */
  advance(key: string, sequence: number): Promise<boolean>;
}
