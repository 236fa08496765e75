/**
 * The stale-output case: every emitter's work is kept by the memo (pipeline/memo.ts), so after a run, an edit to
 * anything an emitter reads must give exactly the files a run without the memo gives. The edits are every kind of
 * value in a three-service model (each field path once: names, descriptions, schema keywords, channel addresses,
 * delivery settings, numbers, flags), one at a time, each rendered after the previous edits' runs filled the memo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ContractModel } from '../model/types.ts';
import { forgetMemo, withoutMemo } from '../pipeline/memo.ts';
import { renderFiles } from '../pipeline/render.ts';
import { shopModel } from './docs/__fixtures__/shop-model.ts';
import { allPlugins } from './index.ts';

type Path = readonly (string | number)[];

/** Every scalar in the model with its path; `kind` is the path with array indexes left out (one edit per kind). */
function scalars(root: unknown): { path: Path; kind: string }[] {
  const found: { path: Path; kind: string }[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown, path: Path, kind: string) => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      found.push({ path, kind });
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, [...path, index], `${kind}[]`);
    } else {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key], `${kind}.${key}`);
    }
  };
  walk(root, [], '');
  return found;
}

function edited(model: ContractModel, path: Path): ContractModel {
  const copy = structuredClone(model);
  let parent = copy as unknown as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  const value = parent[last];
  parent[last] =
    typeof value === 'string' ? `${value}Edited` : typeof value === 'number' ? value + 1 : !value;
  return copy;
}

/** The files, or the error, a run gives. */
async function outcome(model: ContractModel): Promise<unknown> {
  try {
    const files = await renderFiles(model, allPlugins, { outDir: 'generated' });
    return files.map((file) => [file.path, file.contents]);
  } catch (error) {
    return `error: ${error instanceof Error ? error.message : String(error)}`;
  }
}

afterEach(() => forgetMemo());

describe('the memo never gives stale output', () => {
  it('renders every edit of the model as a run without the memo does', { timeout: 120_000 }, async () => {
    const base = shopModel();
    const before = await outcome(base);
    const kinds = new Map<string, Path>();
    for (const { path, kind } of scalars(base)) if (!kinds.has(kind)) kinds.set(kind, path);
    expect(kinds.size).toBeGreaterThan(100);
    let changed = 0;
    for (const [kind, path] of kinds) {
      const model = edited(base, path);
      const memoised = await outcome(model);
      const fresh = await withoutMemo(() => outcome(structuredClone(model)));
      expect(memoised, `after editing ${kind}`).toEqual(fresh);
      if (JSON.stringify(fresh) !== JSON.stringify(before)) changed++;
    }
    // Most fields are read by some emitter: the edits did reach the output.
    expect(changed).toBeGreaterThan(kinds.size / 2);
  });

  it('gives a new process (the memo in the cache folder only) the same files', async () => {
    const base = shopModel();
    const first = await outcome(base);
    forgetMemo();
    expect(await outcome(structuredClone(base))).toEqual(first);
  });
});
