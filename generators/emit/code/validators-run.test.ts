/**
 * Loads the generated validators.js (and contract.ts) in a real Node 24 process: proves the ESM output and its
 * ajv runtime imports resolve and run, and that the printed specs carry exactly the values built from the model.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractModel } from '../../model/types.ts';
import { publicationSpec, subscriptionSpec } from './runtime-specs.ts';
import { serviceView } from './service-view.ts';
import { emitAll } from './emit-all.ts';
import { amqpModel, topicModel } from './test-models.ts';
import { freshOutputDir, REPO_ROOT, writeFiles } from './test-output-dir.ts';

const NODE = join(REPO_ROOT, 'node_modules/.bin/node');

interface Check {
  readonly service: string;
  readonly validator: string;
  readonly data?: unknown;
  /** JSON text parsed in the runner, for values JSON.stringify cannot carry (`1e400` parses as Infinity). */
  readonly json?: string;
}
interface Outcome {
  readonly ok: boolean;
  readonly errors: { instancePath: string; keyword: string }[] | null;
}
interface RunResult {
  readonly version: string;
  readonly outcomes: Outcome[];
  readonly contracts: Record<string, { publications: unknown; subscriptions: unknown }>;
}

const RUNNER = `
const [dir, input] = process.argv.slice(2);
const { checks, services } = JSON.parse(input);
const outcomes = [];
for (const check of checks) {
  const validate = (await import(dir + '/' + check.service + '/validators.js'))[check.validator];
  const ok = validate(check.json === undefined ? check.data : JSON.parse(check.json));
  outcomes.push({ ok, errors: validate.errors?.map((e) => ({ instancePath: e.instancePath, keyword: e.keyword })) ?? null });
}
const contracts = {};
for (const service of services) {
  const { publications, subscriptions } = await import(dir + '/' + service + '/contract.ts');
  contracts[service] = { publications, subscriptions };
}
console.log(JSON.stringify({ version: process.version, outcomes, contracts }));
`;

const models: readonly ContractModel[] = [topicModel(), amqpModel()];
let output: Awaited<ReturnType<typeof freshOutputDir>>;

beforeAll(async () => {
  output = await freshOutputDir('run');
  for (const m of models) await writeFiles(output.dir, await emitAll(m));
  await writeFile(join(output.dir, 'runner.mjs'), RUNNER);
});
afterAll(() => output?.remove());

async function run(checks: readonly Check[], services: readonly string[] = []): Promise<RunResult> {
  const { stdout } = await promisify(execFile)(
    NODE,
    [join(output.dir, 'runner.mjs'), output.dir, JSON.stringify({ checks, services })],
    { timeout: 60_000 },
  );
  return JSON.parse(stdout) as RunResult;
}

const validEmail = {
  to: 'ada@example.com',
  template: 'welcome',
  sequence: 7,
  channel: 'sms',
  priority: null,
  body: { subject: 'Hi' },
  metadata: { locale: 'en' },
  category: { name: 'root', children: [{ name: 'leaf', children: [] }] },
};

const validProduct = {
  product_id: '0b7a3a4e-8f0e-4c1a-9a57-2f5d1c1f9a10',
  name: 'Kettle',
  price: { amount: 25, currency: 'EUR' },
  tags: ['kitchen', 'steel'],
  created_at: '2025-01-02T03:04:05Z',
};

describe('generated validators.js under Node 24', () => {
  it.each<[string, Check, Outcome['errors']]>([
    [
      'a valid email request',
      { service: 'notification', validator: 'validateNotificationEmailRequested', data: validEmail },
      null,
    ],
    [
      'a valid product',
      { service: 'catalog', validator: 'validateCatalogProductCreated', data: validProduct },
      null,
    ],
    [
      'a bad email format',
      {
        service: 'notification',
        validator: 'validateNotificationEmailRequested',
        data: { ...validEmail, to: 'nope' },
      },
      [{ instancePath: '/to', keyword: 'format' }],
    ],
    [
      'a missing field deep in a recursive tree',
      {
        service: 'notification',
        validator: 'validateNotificationEmailRequested',
        data: { ...validEmail, category: { name: 'r', children: [{ children: [] }] } },
      },
      [{ instancePath: '/category/children/0', keyword: 'required' }],
    ],
    [
      'a property whose schema is false',
      {
        service: 'notification',
        validator: 'validateNotificationEmailRequested',
        data: { ...validEmail, never: 1 },
      },
      [{ instancePath: '/never', keyword: 'false schema' }],
    ],
    [
      'every problem at once (allErrors): enum, record value type, missing field',
      {
        service: 'notification',
        validator: 'validateNotificationEmailRequested',
        data: { to: 'a@b.co', template: 'spam', metadata: { n: 1 } },
      },
      [
        { instancePath: '', keyword: 'required' },
        { instancePath: '/template', keyword: 'enum' },
        { instancePath: '/metadata/n', keyword: 'type' },
      ],
    ],
    [
      'a bad date-time (ajv-formats runtime import)',
      {
        service: 'catalog',
        validator: 'validateCatalogProductCreated',
        data: { ...validProduct, created_at: 'yesterday' },
      },
      [{ instancePath: '/created_at', keyword: 'format' }],
    ],
    [
      'duplicate tags (ajv equal runtime import)',
      {
        service: 'catalog',
        validator: 'validateCatalogProductCreated',
        data: { ...validProduct, tags: ['a', 'a'] },
      },
      [{ instancePath: '/tags', keyword: 'uniqueItems' }],
    ],
    [
      'a name longer than maxLength counted in code points (ajv ucs2length runtime import)',
      {
        service: 'catalog',
        validator: 'validateCatalogProductCreated',
        data: { ...validProduct, name: '😀'.repeat(201) },
      },
      [{ instancePath: '/name', keyword: 'maxLength' }],
    ],
    [
      'a closed nested object with an extra property',
      {
        service: 'catalog',
        validator: 'validateCatalogProductCreated',
        data: { ...validProduct, price: { amount: 1, currency: 'EUR', vat: 0.2 } },
      },
      [{ instancePath: '/price', keyword: 'additionalProperties' }],
    ],
  ])('%s', async (_title, check, errors) => {
    const { version, outcomes } = await run([check]);
    expect(version).toMatch(/^v24\./);
    expect(outcomes).toEqual([{ ok: errors === null, errors }]);
  });

  it('refuses numbers that overflow to Infinity, as integers and as numbers (strictNumbers)', async () => {
    const email = JSON.stringify({ ...validEmail, sequence: 'SEQ' }).replace('"SEQ"', '1e400');
    const product = JSON.stringify({ ...validProduct, price: { amount: 'AMT', currency: 'EUR' } }).replace(
      '"AMT"',
      '-1e999',
    );
    const { outcomes } = await run([
      { service: 'notification', validator: 'validateNotificationEmailRequested', json: email },
      { service: 'catalog', validator: 'validateCatalogProductCreated', json: product },
    ]);
    expect(outcomes).toEqual([
      { ok: false, errors: [{ instancePath: '/sequence', keyword: 'type' }] },
      { ok: false, errors: [{ instancePath: '/price/amount', keyword: 'type' }] },
    ]);
  });

  it('a maxLength of 200 accepts 200 astral characters (they are not counted as two)', async () => {
    const data = { ...validProduct, name: '😀'.repeat(200) };
    const { outcomes } = await run([
      { service: 'catalog', validator: 'validateCatalogProductCreated', data },
    ]);
    expect(outcomes[0]?.ok).toBe(true);
  });

  it('contract.ts evaluates to exactly the specs built from the model', async () => {
    const services = models.flatMap((m) => m.services);
    const { contracts } = await run(
      [],
      services.map((s) => s.name),
    );
    for (const service of services) {
      const view = serviceView(service);
      const expected = {
        publications: Object.fromEntries(view.publications.map((p) => [p.key, publicationSpec(service, p)])),
        subscriptions: Object.fromEntries(
          view.subscriptions.map((s) => [s.key, subscriptionSpec(service, s)]),
        ),
      };
      expect(contracts[service.name]).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });
});
