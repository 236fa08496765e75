/**
 * The docs of the platform's real contracts (asyncapi/): every service and event type gets a page, every link
 * lands on a page that exists, every table is well-formed, and no example shows a value marked as personal data.
 */
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnosticLine, loadModel } from '../../model/index.ts';
import type { ContractModel } from '../../model/types.ts';
import type { GeneratedFile } from '../../pipeline/plugin.ts';
import { docsPlugin } from './plugin.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let model: ContractModel;
let pages: Map<string, GeneratedFile>;

beforeAll(async () => {
  const loaded = await loadModel([join(repoRoot, 'asyncapi')], { root: repoRoot });
  expect(loaded.errors.map(formatDiagnosticLine)).toEqual([]);
  model = loaded.model;
  pages = new Map((await docsPlugin.emit(model, { outDir: 'generated' })).map((f) => [f.path, f]));
}, 120_000);

/** Values at a JSON pointer with `*` wildcards, leaves only. */
function valuesAt(value: unknown, segments: readonly string[]): unknown[] {
  const [head, ...rest] = segments;
  if (head === undefined)
    return value !== null && typeof value === 'object'
      ? Object.values(value).flatMap((v) => valuesAt(v, []))
      : [value];
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  return (head === '*' ? Object.values(record) : [record[head]]).flatMap((v) => valuesAt(v, rest));
}

describe('docs of the asyncapi/ contracts', () => {
  it('has the index, one page per service and one per event type', () => {
    const eventTypes = new Set(
      model.services.flatMap((s) => s.operations.flatMap((op) => op.messages.map((m) => m.name))),
    );
    const expected = [
      'docs/index.md',
      ...model.services.map((s) => `docs/services/${s.name}.md`),
      ...[...eventTypes].map((t) => `docs/events/${t}.md`),
    ];
    expect([...pages.keys()].sort()).toEqual(expected.sort());
    for (const service of model.services)
      expect(pages.get('docs/index.md')?.contents).toContain(`["${service.name}"]`);
  });

  it('links only to pages that exist', () => {
    for (const [path, page] of pages) {
      for (const [, href] of page.contents.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)) {
        const target = normalize(join(dirname(path), decodeURI(href!)));
        expect(pages.has(target), `${path} links to ${href}`).toBe(true);
      }
    }
  });

  it('writes tables whose rows all have the columns of their header', () => {
    for (const [path, page] of pages) {
      const rows = page.contents.split('\n').filter((line) => line.startsWith('| '));
      let columns = 0;
      for (const [i, row] of rows.entries()) {
        const separators = (row.match(/(?<!\\)\|/g) ?? []).length;
        if (rows[i + 1]?.startsWith('| ---')) columns = separators;
        expect(separators, `${path}: ${row.slice(0, 80)}`).toBe(columns);
      }
    }
  });

  it('never shows a personal-data value of a contract example in an example block', () => {
    const examples = [...pages.values()].flatMap((p) =>
      [...p.contents.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1]!),
    );
    const messages = model.services.flatMap((s) => s.operations.flatMap((op) => op.messages));
    const secrets = messages.flatMap((m) =>
      m.examples.flatMap((e) =>
        m.piiFields.flatMap((pointer) => valuesAt(e.payload, pointer.split('/').slice(1))),
      ),
    );
    const values = [...new Set(secrets.filter((v) => v !== undefined && v !== null).map(String))];
    expect(values.length).toBeGreaterThan(20);
    for (const value of values)
      for (const block of examples) expect(block).not.toContain(JSON.stringify(value).slice(1, -1));
  });
});
