import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnosticLine } from '../diagnostics/format.ts';
import { loadDocuments, stageLoad } from './load.ts';
import { asyncApiParser } from './parser.ts';

const fixtures = fileURLToPath(new URL('../model/__fixtures__/', import.meta.url));
const load = (paths: string[], convertLegacy = true) =>
  loadDocuments(
    paths.map((p) => path.join(fixtures, p)),
    { root: fixtures, convertLegacy },
  );

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'eventwire-load-'));
  await writeFile(path.join(scratch, 'empty.yaml'), '');
  await writeFile(path.join(scratch, 'binary.yaml'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('invalid input gives exact errors, never a stack trace', () => {
  it.each([
    [
      'a YAML syntax error',
      'invalid/bad-yaml.yaml',
      [
        'invalid/bad-yaml.yaml:4:12 — YAML syntax error: Nested mappings are not allowed in compact mappings (check indentation, quoting and duplicate keys around this position)',
      ],
    ],
    [
      'a file that is not an AsyncAPI document',
      'invalid/not-asyncapi.yaml',
      [
        'invalid/not-asyncapi.yaml:2:1 — not an AsyncAPI document: it has no top-level "asyncapi" key (documents start with `asyncapi: 3.0.0`; shared parts (schemas, messages, traits) are read through $ref and need not be listed)',
      ],
    ],
    [
      'unresolved references',
      'invalid/unresolved-ref.yaml',
      [
        'invalid/unresolved-ref.yaml:10:9 /channels/orders/messages/OrderPlaced/$ref — cannot resolve $ref "./missing.yaml#/components/messages/OrderPlaced": file not found (invalid/missing.yaml) (check the relative path: it is resolved from the folder of the file that holds the $ref)',
        'invalid/unresolved-ref.yaml:12:9 /channels/orders/messages/OrderCancelled/$ref — cannot resolve $ref "#/components/messages/OrderCanceled": invalid/unresolved-ref.yaml has nothing at /components/messages/OrderCanceled (the deepest part that exists is /components/messages)',
      ],
    ],
    [
      'a remote reference',
      'invalid/remote-ref.yaml',
      [
        'invalid/remote-ref.yaml:11:11 /channels/orders/messages/OrderPlaced/payload/$ref — remote $ref "https://example.com/schemas/order.json" is not fetched: contracts are read from local files only (save a copy of the referenced file next to the document and reference it with a relative path)',
      ],
    ],
    [
      'an invalid schema and an invalid operation',
      'invalid/invalid-schema.yaml',
      [
        // The parser's places: the enum error on `action` is one it leaves out while another error exists.
        'invalid/invalid-schema.yaml:10:9 /channels/orders/messages/OrderPlaced/payload — "payload" does not match the form required here: see the errors inside it (payload and header schemas are JSON Schema (draft-07) objects)',
        'invalid/invalid-schema.yaml:13:22 /channels/orders/messages/OrderPlaced/payload/properties/total/type — "type" must be one of "array", "boolean", "integer", "null", "number", "object", "string" (payload and header schemas are JSON Schema (draft-07) objects)',
      ],
    ],
    [
      'an Avro payload that is not a valid Avro schema',
      'invalid/avro.yaml',
      [
        'invalid/avro.yaml:10:9 /channels/users/messages/UserSignedUp/payload — "payload" does not match the form required here: see the errors inside it (payload and header schemas are JSON Schema (draft-07) objects)',
        'invalid/avro.yaml:12:11 /channels/users/messages/UserSignedUp/payload/schema — "schema" must be a string (AVRO_HINT)',
        'invalid/avro.yaml:13:13 /channels/users/messages/UserSignedUp/payload/schema/type — "type" must be one of "null", "boolean", "int", "long", "float", "double", "bytes", "string" (AVRO_HINT)',
        'invalid/avro.yaml:16:19 /channels/users/messages/UserSignedUp/payload/schema/fields/0/name — "name" must be a string (AVRO_HINT)',
      ].map((line) =>
        line.replace(
          'AVRO_HINT',
          'this payload is an Avro schema (schemaFormat application/vnd.apache.avro;version=1.9.0): records need "name" and "fields", each field a string "name" and a "type"',
        ),
      ),
    ],
    ['a path that does not exist', 'invalid/nowhere.yaml', ['invalid/nowhere.yaml — no such file or folder']],
  ])('%s', async (_, file, expected) => {
    const result = await load([file]);
    expect(result.documents).toEqual([]);
    expect(result.errors.map(formatDiagnosticLine)).toEqual(expected);
    expect(result.refused).toEqual([{ file, reasons: result.errors }]);
  });

  it.each([
    [
      'empty.yaml',
      'empty.yaml — file is empty (write an AsyncAPI 3.0 document (starting with `asyncapi: 3.0.0`) or delete the file)',
    ],
    [
      'binary.yaml',
      'binary.yaml — file is binary (it contains NUL bytes), not YAML or JSON text (contracts must be UTF-8 YAML or JSON; remove the file or give it another extension)',
    ],
  ])('%s', async (file, expected) => {
    const result = await loadDocuments([path.join(scratch, file)], { root: scratch });
    expect(result.errors.map(formatDiagnosticLine)).toEqual([expected]);
  });

  it('refuses AsyncAPI 2.x when conversion is off, naming the command that converts it', async () => {
    const result = await load(['invalid/legacy.yaml'], false);
    expect(result.errors.map(formatDiagnosticLine)).toEqual([
      'invalid/legacy.yaml:1:1 /asyncapi — AsyncAPI 2.6.0 is not supported: convert with `npx @asyncapi/cli convert invalid/legacy.yaml --target-version=3.0.0 --output=invalid/legacy.yaml`',
    ]);
  });

  it('converts AsyncAPI 2.x in memory, with a warning', async () => {
    const result = await load(['invalid/legacy.yaml']);
    expect(result.errors).toEqual([]);
    expect(result.documents.map((d) => [d.file, d.version, d.convertedFrom])).toEqual([
      ['invalid/legacy.yaml', '3.0.0', '2.6.0'],
    ]);
    expect(result.warnings.map(formatDiagnosticLine)).toEqual([
      'invalid/legacy.yaml:1:1 /asyncapi — AsyncAPI 2.6.0 document converted to 3.0.0 in memory: other locations in this file refer to the converted document (convert the file for good with `npx @asyncapi/cli convert invalid/legacy.yaml --target-version=3.0.0 --output=invalid/legacy.yaml`)',
    ]);
  });
});

describe('loading folders', () => {
  it('loads every document of a folder in parallel and skips shared parts', async () => {
    const result = await load(['shop']);
    expect(result.errors).toEqual([]);
    expect(result.refused).toEqual([]);
    expect(result.documents.map((d) => d.file)).toEqual([
      'shop/catalog.yaml',
      'shop/notification.yaml',
      'shop/search.yaml',
    ]);
    const search = result.documents.find((d) => d.file === 'shop/search.yaml');
    expect(search?.dependencies).toEqual(['shop/catalog.yaml', 'shop/common/envelope.yaml']);
    expect(result.timings.totalMs).toBeGreaterThan(0);
  });

  it('loads the good documents of a folder and refuses the bad ones', async () => {
    const result = await load(['invalid']);
    expect(result.documents.map((d) => d.file)).toEqual([
      'invalid/invalid-extension.yaml',
      'invalid/legacy.yaml',
    ]);
    // not-asyncapi.yaml is a shared part when found in a folder, not an error.
    expect(result.refused.map((r) => r.file)).toEqual([
      'invalid/avro.yaml',
      'invalid/bad-yaml.yaml',
      'invalid/invalid-schema.yaml',
      'invalid/remote-ref.yaml',
      'invalid/unresolved-ref.yaml',
    ]);
    for (const error of result.errors) expect(formatDiagnosticLine(error)).not.toMatch(/\n\s+at /);
  });

  it('keeps one parser for the process', () => {
    expect(asyncApiParser()).toBe(asyncApiParser());
  });
});

describe('the verdict cache', () => {
  let copy: string;
  let cacheDir: string;
  beforeAll(async () => {
    copy = await mkdtemp(path.join(tmpdir(), 'eventwire-cache-'));
    cacheDir = path.join(copy, '.cache');
    await cp(path.join(fixtures, 'shop'), path.join(copy, 'shop'), { recursive: true });
  });
  afterAll(() => rm(copy, { recursive: true, force: true }));
  const loadCopy = (dir: string | false = cacheDir) =>
    loadDocuments([path.join(copy, 'shop')], { root: copy, cacheDir: dir });

  it('skips the parser for documents that validated before, with the same result', async () => {
    const cold = await loadCopy();
    expect([cold.timings.cachedDocuments, cold.timings.validatedDocuments]).toEqual([0, 3]);
    const warm = await loadCopy();
    expect([warm.timings.cachedDocuments, warm.timings.validatedDocuments]).toEqual([3, 0]);
    expect(warm.timings.parserSetupMs).toBe(0);
    expect(warm.documents.map((d) => d.resolved)).toEqual(cold.documents.map((d) => d.resolved));
    expect(warm.warnings).toEqual(cold.warnings);
  });

  it('validates again every document that reads a changed part of a file', async () => {
    await loadCopy();
    const catalog = path.join(copy, 'shop', 'catalog.yaml');
    const text = await readFile(catalog, 'utf8');
    // The catalog's own info: search.yaml references catalog's message, not its info, and is not validated again.
    await writeFile(catalog, text.replace('version: 1.2.0', 'version: 1.3.0'));
    expect((await loadCopy()).timings.validatedDocuments).toBe(1);
    // The message search.yaml references: both are validated again; notification.yaml is not.
    await writeFile(catalog, text.replace('title: Product created', 'title: Product added'));
    const changed = await loadCopy();
    expect([changed.timings.validatedDocuments, changed.timings.cachedDocuments]).toEqual([2, 1]);
  });

  it('reads a changed referenced file again in the same process', async () => {
    const envelope = path.join(copy, 'shop', 'common', 'envelope.yaml');
    const text = await readFile(envelope, 'utf8');
    expect((await loadCopy(false)).errors).toEqual([]);
    // The parser's resolver keeps files it read; an edit must still be seen by the next load.
    await writeFile(envelope, text.replace('event_type: { type: string }', 'event_type: { type: strin }'));
    try {
      const broken = await loadCopy(false);
      expect(broken.errors.map((e) => e.pointer)).toContain(
        '/messageTraits/Envelope/headers/properties/event_type/type',
      );
    } finally {
      await writeFile(envelope, text);
    }
  });

  it('never caches a refusal, and can be turned off', async () => {
    const broken = path.join(copy, 'shop', 'notification.yaml');
    await writeFile(broken, (await readFile(broken, 'utf8')).replace('action: send', 'action: publish'));
    await loadCopy();
    const again = await loadCopy();
    expect(again.refused.map((r) => r.file)).toEqual(['shop/notification.yaml']);
    expect(again.timings.cachedDocuments).toBe(2);
    expect((await loadCopy(false)).timings.cachedDocuments).toBe(0);
  });
});

describe('validation after the caller has used the documents (validateAfter, `--watch`)', () => {
  const staged = (file: string, validateAfter: Promise<unknown>) =>
    stageLoad([path.join(fixtures, file)], { root: fixtures, cacheDir: false, validateAfter });

  it('hands out an AsyncAPI 3 document before validating it, and refuses it once asked', async () => {
    const asked = Promise.withResolvers<void>();
    const load = await staged('invalid/invalid-schema.yaml', asked.promise);
    expect(load.provisional.documents.map((d) => d.file)).toEqual(['invalid/invalid-schema.yaml']);
    asked.resolve();
    const final = await load.final;
    expect([final.documents.length, final.refused.map((r) => r.file)]).toEqual([
      0,
      ['invalid/invalid-schema.yaml'],
    ]);
  });

  it('validates a document whose payloads another schema parser reads at once (its model changes then)', async () => {
    const never = new Promise<void>(() => undefined);
    const load = await staged('avro/users.yaml', never);
    const [document] = (await load.final).documents;
    expect(document?.document).toBeDefined();
    expect(load.provisional.documents).toEqual([document]);
  });
});
