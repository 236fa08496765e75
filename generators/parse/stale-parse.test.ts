/**
 * The stale-result case on the parse side: every step of loading a document that is kept between runs (the file
 * read, the `$ref` crawl, the expansion budget, the verdict key, the verdict, the resolved document) goes
 * through the memo (pipeline/memo.ts, parse-memo.ts). After each edit of a file the documents reference, a load
 * must give exactly what a load without any memo or cache gives: in the same process, as `--watch` loads (the
 * memo and the on-disk cache filled by the loads before), and in a new process (the on-disk cache only).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatDiagnosticLine } from '../diagnostics/format.ts';
import { loadModel } from '../model/index.ts';
import { forgetMemo } from '../pipeline/memo.ts';
import { ContractFiles } from './files.ts';

const document = (service: string, action: 'send' | 'receive') => `asyncapi: 3.0.0
info:
  title: ${service}
  version: 1.0.0
  x-eventwire-service: { name: ${service} }
channels:
  placed:
    address: orders.order.placed
    messages:
      OrderPlaced:
        $ref: './messages.yaml#/components/messages/OrderPlaced'
operations:
  ${action === 'send' ? 'publishOrderPlaced' : 'onOrderPlaced'}:
    action: ${action}
    channel: { $ref: '#/channels/placed' }
`;

const messages = (payloadRef: string, extra = '') => `components:
  messages:
    OrderPlaced:
      name: orders.order.placed${extra}
      payload:
        $ref: '${payloadRef}'
`;

const schemas = (idType: string, before = '') => `${before}Order:
  type: object
  required: [order_id]
  properties:
    order_id: { type: ${idType} }
Unused:
  type: string
`;

/**
 * One edit after another, each on top of the files the earlier ones left; `same`: the edit must not change the
 * result (the parts the documents read are as they were), which the memo must find without a stale answer.
 */
const edits: ReadonlyArray<{ edit: string; files: Record<string, string | null>; same?: true }> = [
  { edit: 'a referenced schema changes type', files: { 'schemas.yaml': schemas('integer') } },
  {
    edit: 'lines move above it in its file',
    files: { 'schemas.yaml': schemas('integer', '# a note\n# another\n') },
    same: true,
  },
  {
    edit: 'an unused part of a referenced file changes',
    files: { 'schemas.yaml': schemas('integer').replace('string', 'number') },
    same: true,
  },
  { edit: 'a $ref points at nothing', files: { 'messages.yaml': messages('./schemas.yaml#/Nope') } },
  {
    edit: 'lines move above the broken $ref',
    files: { 'messages.yaml': `# moved\n${messages('./schemas.yaml#/Nope')}` },
  },
  { edit: 'it points back', files: { 'messages.yaml': messages('./schemas.yaml#/Order') } },
  {
    edit: 'a referenced message is renamed',
    files: { 'messages.yaml': messages('./schemas.yaml#/Order').replace('order.placed', 'order.created') },
  },
  { edit: 'a referenced file is removed', files: { 'schemas.yaml': null } },
  { edit: 'it comes back', files: { 'schemas.yaml': schemas('string') } },
  { edit: 'a referenced file is not YAML', files: { 'schemas.yaml': 'Order: [unclosed\n' } },
  { edit: 'it is fixed', files: { 'schemas.yaml': schemas('boolean') } },
  {
    edit: 'a referenced message breaks the AsyncAPI schema',
    files: { 'messages.yaml': messages('./schemas.yaml#/Order', '\n      contentType: 5') },
  },
  { edit: 'it is fixed', files: { 'messages.yaml': messages('./schemas.yaml#/Order') } },
  {
    edit: 'an eventwire extension in a referenced file is wrong',
    files: { 'schemas.yaml': schemas('boolean, x-eventwire-pii: maybe') },
  },
  { edit: 'it is fixed', files: { 'schemas.yaml': schemas('string, x-eventwire-pii: email') } },
  { edit: 'a $ref to a file nobody wrote yet', files: { 'messages.yaml': messages('./extra.yaml#/Order') } },
  { edit: 'that file is written', files: { 'extra.yaml': schemas('number') } },
  { edit: 'the file two $refs away changes', files: { 'extra.yaml': schemas('string') } },
  {
    edit: 'a schema refers to itself',
    files: { 'extra.yaml': schemas("string }\n    parent: { $ref: '#/Order'") },
  },
];

let folder: string;
let cacheDir: string;

async function write(files: Record<string, string | null>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(folder, name);
    await (text === null ? rm(file, { force: true }) : writeFile(file, text));
  }
}

/** What a load gives: its problems as printed, the documents refused, and the model. */
async function outcome(cache: string | false, load = loadModel): Promise<unknown> {
  const loaded = await load([path.join(folder, 'orders.yaml'), path.join(folder, 'billing.yaml')], {
    root: folder,
    cacheDir: cache,
  });
  return {
    diagnostics: loaded.diagnostics.map((d) => formatDiagnosticLine(d)),
    refused: loaded.refused.map((r) => r.file),
    model: loaded.model,
  };
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'eventwire-stale-parse-'));
  cacheDir = path.join(folder, '.cache');
  await write({
    'orders.yaml': document('orders', 'send'),
    'billing.yaml': document('billing', 'receive'),
    'messages.yaml': messages('./schemas.yaml#/Order'),
    'schemas.yaml': schemas('string'),
  });
});
afterAll(() => rm(folder, { recursive: true, force: true }));
afterEach(() => forgetMemo());

describe('the parse side never gives a stale result', () => {
  it('loads every edit of a referenced file as a load without memo or cache does', {
    timeout: 120_000,
  }, async () => {
    let previous = await outcome(cacheDir);
    for (const { edit, files, same } of edits) {
      await write(files);
      const watched = await outcome(cacheDir);
      // The reference: every module loaded anew (nothing kept in any of them), and no cache folder.
      vi.resetModules();
      const fresh = await outcome(false, (await import('../model/index.ts')).loadModel);
      expect(watched, `--watch, after: ${edit}`).toEqual(fresh);
      forgetMemo();
      expect(await outcome(cacheDir), `a new process, after: ${edit}`).toEqual(fresh);
      // The edit did reach the result (the verdict, the errors, or the model), or rightly did not.
      expect(isDeepStrictEqual(fresh, previous), `unchanged after: ${edit}`).toBe(same ?? false);
      previous = fresh;
    }
  });

  it('refuses a step that reads a file outside the inputs it is kept by', async () => {
    const files = new ContractFiles(folder);
    const [orders, billing] = ['orders.yaml', 'billing.yaml'].map((name) => path.join(folder, name));
    await files.read(orders as string);
    await files.read(billing as string);
    const view = files.confinedTo([orders as string]);
    expect(view.entry(orders as string)?.ok).toBe(true);
    expect(() => view.nodeAt({ file: billing as string, pointer: '/info' })).toThrow(/not among the inputs/);
  });
});
