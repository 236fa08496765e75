/**
 * Type-checks the generated code of the test models with the TypeScript API, under the project's strict
 * options plus the stricter flags user projects turn on, together with small usage files: correct use must
 * compile cleanly, and misuse (a missing handler, missing channel parameters, a wrong payload) must not.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strictCompilerOptions, typeScriptFiles } from '../../corpus/typecheck.ts';
import { emitAll } from './emit-all.ts';
import { TEST_MODELS } from './test-models.ts';
import { freshOutputDir, writeFiles } from './test-output-dir.ts';

const USAGE: Readonly<Record<string, string>> = {
  'good.ts': `
import type { EventEnvelope, Runtime } from 'eventwire/runtime';
import { type CatalogProductCreated, createCatalogPublisher, publications, validateCatalogProductCreated } from '../generated/catalog/index.ts';
import { createHandlers as commonHandlers } from '../generated/common-operations/handlers.ts';
import { createCommonOperationsPublisher, startCommonOperationsConsumer } from '../generated/common-operations/index.ts';
import { createHandlers as notificationHandlers } from '../generated/notification/handlers.ts';
import { createNotificationPublisher, startNotificationConsumer } from '../generated/notification/index.ts';
import { type SearchHandlers, startSearchConsumer } from '../generated/search/index.ts';

declare const runtime: Runtime;
const product: CatalogProductCreated = {
  product_id: 'p1',
  name: 'Kettle',
  price: { amount: 25, currency: 'EUR' },
  created_at: '2025-01-02T03:04:05Z',
};

export async function useEverything(): Promise<string> {
  const catalog = createCatalogPublisher(runtime);
  const envelope: EventEnvelope<CatalogProductCreated> = await catalog.publishProductCreated(product);
  await catalog.publishRegionalProductEventsCatalogProductDeleted({ product_id: 'p1' }, { parameters: { region: 'eu' } });
  const received: unknown = envelope.data;
  const name = validateCatalogProductCreated(received) ? received.name : 'invalid';
  const topic: 'catalog.product.created' = publications.publishProductCreated.destination.topic;
  const handlers: SearchHandlers = {
    async indexProduct(event) {
      const id: string = event.data.product_id;
      if (id === '') throw new Error('empty id');
    },
    async dropProduct(event, context) {
      if (event.event_type === 'catalog.product.deleted' && context.attempt > 1) {
        await catalog.publishProductCreated(product, context.follow);
      }
    },
  };
  const search = await startSearchConsumer(runtime, handlers);
  await search.stop();
  await startNotificationConsumer(runtime, notificationHandlers({ publisher: createNotificationPublisher(runtime) }));
  await createNotificationPublisher(runtime).emailSent({ to: 'ada@example.com', sent_at: 'now' });
  const common = createCommonOperationsPublisher(runtime);
  await common._2faCodeIssued({ 'user-id': 'u1' }, { parameters: { 'tenant-id': 't1', default: 'a-b' } });
  await common.delete_({ default: 'x' });
  await startCommonOperationsConsumer(runtime, commonHandlers({ publisher: common }));
  return name + topic;
}
`,
  'missing-handler.ts': `
import type { Runtime } from 'eventwire/runtime';
import { startSearchConsumer } from '../generated/search/index.ts';
declare const runtime: Runtime;
export const started = startSearchConsumer(runtime, { async indexProduct() {} });
`,
  'missing-parameters.ts': `
import type { Runtime } from 'eventwire/runtime';
import { createCatalogPublisher } from '../generated/catalog/index.ts';
declare const runtime: Runtime;
export const sent = createCatalogPublisher(runtime).publishRegionalProductEventsCatalogProductDeleted({ product_id: 'p' });
`,
  'unknown-parameter-value.ts': `
import type { Runtime } from 'eventwire/runtime';
import { createCatalogPublisher } from '../generated/catalog/index.ts';
declare const runtime: Runtime;
export const sent = createCatalogPublisher(runtime).publishRegionalProductEventsCatalogProductDeleted(
  { product_id: 'p' },
  { parameters: { region: 'mars' } },
);
`,
  'wrong-payload.ts': `
import type { Runtime } from 'eventwire/runtime';
import { createNotificationPublisher } from '../generated/notification/index.ts';
declare const runtime: Runtime;
export const sent = createNotificationPublisher(runtime).emailSent({ to: 'a@b.co', sent_at: 42 });
`,
  'excess-property.ts': `
import type { Runtime } from 'eventwire/runtime';
import { createNotificationPublisher } from '../generated/notification/index.ts';
declare const runtime: Runtime;
export const sent = createNotificationPublisher(runtime).emailSent({ to: 'a@b.co', sent_at: 'now', cc: 'x' });
`,
};

const EXPECTED_ERRORS: Readonly<Record<string, RegExp>> = {
  'missing-handler.ts': /Property 'dropProduct' is missing in type .* but required in type 'SearchHandlers'/,
  'missing-parameters.ts': /Expected 2 arguments, but got 1/,
  'unknown-parameter-value.ts': /Type '"mars"' is not assignable to type '"eu" \| "us"'/,
  'wrong-payload.ts': /Type 'number' is not assignable to type 'string'/,
  'excess-property.ts': /Object literal may only specify known properties, and 'cc' does not exist/,
};

let output: Awaited<ReturnType<typeof freshOutputDir>>;
let diagnosticsByFile: Map<string, string[]>;
let generatedFiles: string[];

beforeAll(async () => {
  output = await freshOutputDir('compile');
  const generated = join(output.dir, 'generated');
  for (const makeModel of Object.values(TEST_MODELS)) await writeFiles(generated, await emitAll(makeModel()));
  await mkdir(join(output.dir, 'usage'));
  for (const [name, text] of Object.entries(USAGE)) await writeFile(join(output.dir, 'usage', name), text);

  generatedFiles = await typeScriptFiles(generated);
  const program = ts.createProgram({
    rootNames: [...generatedFiles, ...Object.keys(USAGE).map((name) => join(output.dir, 'usage', name))],
    options: strictCompilerOptions(),
  });
  diagnosticsByFile = new Map();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file ? relative(output.dir, diagnostic.file.fileName) : '(global)';
    if (file.startsWith('..')) continue; // the runtime's own files are checked by the runtime's tests
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    diagnosticsByFile.set(file, [...(diagnosticsByFile.get(file) ?? []), text]);
  }
}, 120_000);
afterAll(() => output?.remove());

describe('generated code type-checks', () => {
  it('every generated file and the correct usage compile without a single diagnostic', () => {
    const clean = [...diagnosticsByFile].filter(([file]) => !(file.replace('usage/', '') in EXPECTED_ERRORS));
    expect(Object.fromEntries(clean)).toEqual({});
    expect(generatedFiles.length).toBeGreaterThan(20);
  });

  it.each(Object.entries(EXPECTED_ERRORS))('%s fails to compile, and says why', (file, expected) => {
    const messages = diagnosticsByFile.get(`usage/${file}`) ?? [];
    expect(messages.join('\n')).toMatch(expected);
  });
});
