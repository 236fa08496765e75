/** The counters every report shows, in one order, with the labels users read. */
import type { Counts } from '../engine/types.ts';

export const COUNT_LABELS: readonly (readonly [keyof Counts, string])[] = [
  ['attempted', 'attempted'],
  ['confirmed', 'confirmed'],
  ['delivered', 'delivered'],
  ['handled', 'handled'],
  ['lost', 'lost'],
  ['duplicated', 'duplicated'],
  ['unexplainedDuplicates', 'unexplained duplicates'],
  ['unexpected', 'unexpected'],
  ['recovered', 'recovered'],
  ['deadLettered', 'dead-lettered'],
  ['outOfOrder', 'out-of-order'],
  ['excused', 'excused dead letters'],
];

export function countsLine(counts: Counts): string {
  return COUNT_LABELS.map(([key, label]) => `${label} ${counts[key]}`).join(' · ');
}
