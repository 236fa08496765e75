/**
 * The diff corpus: each folder of __corpus__ holds a before/after pair of tiny AsyncAPI 3 contracts
 * (`old.yaml`/`new.yaml`, or `old/`/`new/` folders for several services) and `expected.json`:
 *
 *   { "breaking": N, "changes": [{ "rule", "classification", "pointer"?, "affects"?, "file"? }] }
 *
 * The changes must match as a multiset of (rule, classification); `pointer`, `affects` and `file` are compared
 * when given. `breaking` may also be a boolean (any breaking change), an overall `classification` (the worst
 * one: breaking > undecidable > non-breaking, and non-breaking without changes) may be given instead of or
 * next to `changes`, and an entry may leave out `rule`. The pairs are loaded with the real model builder, so
 * they test the whole path from YAML.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../generators/model/index.ts';
import type { Change, Classification } from '../types.ts';
import { runDiff } from './run-diff.ts';

interface Expected {
  readonly breaking?: number | boolean;
  readonly classification?: Classification;
  readonly changes?: readonly (Pick<Change, 'classification'> &
    Partial<Pick<Change, 'rule' | 'pointer' | 'affects' | 'file'>>)[];
}

/** The worst classification: breaking > undecidable > non-breaking (also when nothing changed). */
function overall(changes: readonly Change[]): Classification {
  if (changes.some((c) => c.classification === 'breaking')) return 'breaking';
  return changes.some((c) => c.classification === 'undecidable') ? 'undecidable' : 'non-breaking';
}

const corpus = path.join(import.meta.dirname, '__corpus__');
const pairs = readdirSync(corpus, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

async function load(dir: string, side: 'old' | 'new') {
  const file = path.join(dir, `${side}.yaml`);
  const input = existsSync(file) ? file : path.join(dir, side);
  const loaded = await loadModel([input], { root: existsSync(file) ? dir : input });
  expect(loaded.errors, `${side} side does not load`).toEqual([]);
  return loaded.model;
}

function unmatched(actual: readonly Change[], expected: NonNullable<Expected['changes']>) {
  const left = [...actual];
  const missing: unknown[] = [];
  for (const e of expected) {
    const i = left.findIndex(
      (a) =>
        (e.rule === undefined || a.rule === e.rule) &&
        a.classification === e.classification &&
        (e.pointer === undefined || a.pointer === e.pointer) &&
        (e.file === undefined || a.file === e.file) &&
        (e.affects === undefined || JSON.stringify(a.affects) === JSON.stringify([...e.affects].sort())),
    );
    if (i < 0) missing.push(e);
    else left.splice(i, 1);
  }
  return {
    missing,
    unexpected: left.map(({ rule, classification, pointer, affects, message }) => ({
      rule,
      classification,
      pointer,
      affects,
      message,
    })),
  };
}

describe('diff corpus', () => {
  it('has at least 40 pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(40);
  });

  it.each(pairs)('%s', async (name) => {
    const dir = path.join(corpus, name);
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
    const changes = runDiff(await load(dir, 'old'), await load(dir, 'new'));
    expect(
      expected.changes ?? expected.classification ?? expected.breaking,
      'expected.json states nothing',
    ).toBeDefined();
    if (expected.changes)
      expect(unmatched(changes, expected.changes)).toEqual({ missing: [], unexpected: [] });
    if (expected.classification) expect(overall(changes)).toBe(expected.classification);
    const breaking = changes.filter((c) => c.classification === 'breaking').length;
    if (typeof expected.breaking === 'number') expect(breaking).toBe(expected.breaking);
    if (typeof expected.breaking === 'boolean') expect(breaking > 0).toBe(expected.breaking);
  });
});
