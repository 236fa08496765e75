import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnosticLine } from '../diagnostics/format.ts';
import { loadDocuments } from './load.ts';
import { createStructureRules } from './structure-rule.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'eventwire-structure-'));
  await writeFile(path.join(root, 'info.yaml'), 'title: Referenced\nversion: "1"\n');
  await writeFile(path.join(root, 'ref-in-info.yaml'), "asyncapi: 3.0.0\ninfo:\n  $ref: './info.yaml'\n");
  await writeFile(
    path.join(root, 'unknown-field.yaml'),
    'asyncapi: 3.0.0\ninfo:\n  title: T\n  version: "1"\n  owner: team-a\nchannels: {}\n',
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('document structure validation', () => {
  it('replaces the parser rules that compiled the AsyncAPI schema for every document', () => {
    // If a parser upgrade removes the schema this relies on, loading gets slow again: this test says so.
    expect(Object.keys(createStructureRules() ?? {})).toEqual([
      'asyncapi-document-resolved',
      'asyncapi-document-unresolved',
    ]);
  });

  it.each([
    // The parser's place: the object that holds the `$ref`.
    ['ref-in-info.yaml', 'ref-in-info.yaml:2:1 /info — a $ref is not allowed here'],
    [
      'unknown-field.yaml',
      'unknown-field.yaml:5:3 /info/owner — property "owner" is not allowed here (remove it, or name custom fields with an "x-" prefix)',
    ],
  ])('reports %s', async (file, expected) => {
    const result = await loadDocuments([path.join(root, file)], { root });
    expect(result.errors.map(formatDiagnosticLine)).toEqual([expected]);
  });
});
