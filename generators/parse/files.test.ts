import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractFiles } from './files.ts';
import { crawlRefs } from './refs.ts';

let root: string;
let files: ContractFiles;
const file = (name: string) => path.join(root, name);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'eventwire-files-'));
  await writeFile(
    file('doc.yaml'),
    [
      'asyncapi: 3.0.0',
      'channels:',
      '  orders:',
      "    $ref: './parts/channels.yaml#/orders'",
      'components:',
      '  schemas:',
      '    Local: { type: string }',
      'list: [a, b]',
    ].join('\n'),
  );
  await writeFile(path.join(root, 'parts.yaml'), 'unused: true\n');
  await import('node:fs/promises').then((fs) => fs.mkdir(file('parts')));
  await writeFile(
    file('parts/channels.yaml'),
    [
      'orders:',
      '  address: order.placed',
      '  messages:',
      "    Placed: { $ref: './messages.yaml#/Placed' }",
    ].join('\n'),
  );
  await writeFile(file('parts/messages.yaml'), 'Placed:\n  payload:\n    type: object\n');
  files = new ContractFiles(root);
  await files.read(file('doc.yaml'));
  await crawlRefs(files, file('doc.yaml'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('references', () => {
  it.each([
    [
      '#/components/schemas/Local',
      { kind: 'target', file: 'doc.yaml', pointer: '/components/schemas/Local' },
    ],
    ['./parts/channels.yaml#/orders', { kind: 'target', file: 'parts/channels.yaml', pointer: '/orders' }],
    ['parts/channels.yaml', { kind: 'target', file: 'parts/channels.yaml', pointer: '' }],
    ['./parts/a%20b.yaml#/x%7By%7D', { kind: 'target', file: 'parts/a b.yaml', pointer: '/x{y}' }],
    ['https://example.com/x.json#/a', { kind: 'remote', url: 'https://example.com/x.json#/a' }],
    ['http://example.com/x.json', { kind: 'remote', url: 'http://example.com/x.json' }],
    [
      '#Local',
      { kind: 'invalid', reason: 'the fragment "#Local" is not a JSON pointer (it must start with "/")' },
    ],
  ])('resolves %j', (ref, expected) => {
    const result = files.resolveRef(file('doc.yaml'), ref);
    const shown = result.kind === 'target' ? { ...result, file: files.display(result.file) } : result;
    expect(shown).toEqual(expected);
  });

  it('resolves file: URLs to local paths', () => {
    const url = `file://${file('parts/messages.yaml')}#/Placed`;
    expect(files.resolveRef(file('doc.yaml'), url)).toEqual({
      kind: 'target',
      file: file('parts/messages.yaml'),
      pointer: '/Placed',
    });
  });
});

describe('origins', () => {
  it.each([
    ['/channels/orders', 'parts/channels.yaml', '/orders'],
    ['/channels/orders/address', 'parts/channels.yaml', '/orders/address'],
    ['/channels/orders/messages/Placed', 'parts/messages.yaml', '/Placed'],
    ['/channels/orders/messages/Placed/payload/type', 'parts/messages.yaml', '/Placed/payload/type'],
    ['/channels/orders/messages/Placed/headers', 'parts/messages.yaml', '/Placed/headers'],
    ['/channels/orders/$ref', 'doc.yaml', '/channels/orders/$ref'],
    ['/components/schemas/Local', 'doc.yaml', '/components/schemas/Local'],
  ])('traces %s to %s#%s', (pointer, origin, originPointer) => {
    const location = files.origin(file('doc.yaml'), pointer);
    expect({ file: files.display(location.file), pointer: location.pointer }).toEqual({
      file: origin,
      pointer: originPointer,
    });
  });

  it('resolves paths that go through a $ref, as the parser does', () => {
    expect(
      files.resolve({ file: file('doc.yaml'), pointer: '/channels/orders/messages/Placed/payload' })?.node,
    ).toEqual({
      type: 'object',
    });
    expect(
      files.resolve({ file: file('doc.yaml'), pointer: '/channels/orders/messages/Missing' }),
    ).toBeUndefined();
    expect(
      files.existingDepth({ file: file('doc.yaml'), pointer: '/channels/orders/messages/Missing/payload' }),
    ).toBe(3);
  });
});

describe('locations in the text', () => {
  it.each([
    ['', 1, 1],
    ['/channels/orders', 3, 3],
    ['/channels/orders/$ref', 4, 5],
    ['/components/schemas/Local/type', 7, 14],
    ['/list/1', 8, 11],
    ['/components/schemas/Missing', 6, 3],
  ])('finds %j at %i:%i', (pointer, line, column) => {
    expect(files.locate({ file: file('doc.yaml'), pointer })).toEqual({ line, column });
  });

  it('reads every referenced file once and lists them', async () => {
    const closure = await crawlRefs(files, file('doc.yaml'));
    expect(closure.errors).toEqual([]);
    expect(closure.files.map((f) => files.display(f))).toEqual([
      'doc.yaml',
      'parts/channels.yaml',
      'parts/messages.yaml',
    ]);
  });
});
