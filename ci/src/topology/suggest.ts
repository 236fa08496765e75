/**
 * "Did you mean ...?" for an address nobody publishes: the closest published address by edit distance over
 * dot-separated segments, where a suffix match (`product.created` vs `catalog.product.created`, the classic
 * missing-domain-prefix mistake) counts as very close.
 */

export function charDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** Segment-level edit distance; replacing a segment costs its relative character distance (0..1). */
export function segmentDistance(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  const row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const above = row[j] as number;
      const sx = x[i - 1] as string;
      const sy = y[j - 1] as string;
      const replace = sx === sy ? 0 : charDistance(sx, sy) / Math.max(sx.length, sy.length);
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + replace);
      diagonal = above;
    }
  }
  return row[y.length] as number;
}

function isSegmentSuffix(short: string, long: string): boolean {
  return long.length > short.length && long.endsWith(`.${short}`);
}

export function addressScore(target: string, candidate: string): number {
  if (isSegmentSuffix(target, candidate) || isSegmentSuffix(candidate, target)) {
    const extra = Math.abs(target.split('.').length - candidate.split('.').length);
    return 0.25 * extra;
  }
  return segmentDistance(target, candidate);
}

/** The closest candidate, or undefined when nothing is close enough to be a plausible typo. */
export function closest<T extends { readonly address: string }>(
  target: string,
  candidates: readonly T[],
): T | undefined {
  const limit = Math.max(1, target.split('.').length / 2);
  let best: { item: T; score: number } | undefined;
  for (const item of candidates) {
    if (item.address === target) continue;
    const score = addressScore(target, item.address);
    if (score > limit) continue;
    if (!best || score < best.score || (score === best.score && item.address < best.item.address))
      best = { item, score };
  }
  return best?.item;
}

/**
 * True when `candidate` is a typo of `target`'s last segment under the same prefix (`orders.order.craeted` for
 * `orders.order.created`); false for another event of the same entity (`orders.order.placed` vs `.paid`), which
 * looks as close by spelling but is a different event.
 */
export function isActionTypo(target: string, candidate: string): boolean {
  const a = target.split('.');
  const b = candidate.split('.');
  const last = (segments: string[]) => segments[segments.length - 1] ?? '';
  if (a.length !== b.length || a.slice(0, -1).join('.') !== b.slice(0, -1).join('.')) return true;
  const x = last(a);
  const y = last(b);
  return charDistance(x, y) / Math.max(x.length, y.length) <= 1 / 3;
}

/** `domain.entity` of `domain.entity.action`. */
export const entityOf = (address: string): string => address.split('.').slice(0, -1).join('.');
