import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { JsonSchema, Message } from '../../model/types.ts';
import { message, model, receive, send, service, topicChannel } from '../test-support/model-builders.ts';
import { typesPlugin } from './types-plugin.ts';

async function typesFor(messages: readonly Message[], channel = topicChannel('t')): Promise<string> {
  const files = await typesPlugin.emit(model(service('svc', [send('publish', channel, messages)])), {
    outDir: 'g',
  });
  expect(files.map((f) => f.path)).toEqual(['svc/types.ts']);
  return files[0]!.contents;
}

/** The type of property `value` in the generated `Subject` payload interface. */
async function propertyType(schema: JsonSchema): Promise<string> {
  const text = await typesFor([message('subject', { type: 'object', properties: { value: schema } })]);
  const file = ts.createSourceFile('types.ts', text, ts.ScriptTarget.ES2024, true);
  const subject = file.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === 'Subject');
  const member = (subject as ts.InterfaceDeclaration | undefined)?.members.find(
    (m) => ts.isPropertySignature(m) && m.name.getText(file) === 'value',
  ) as ts.PropertySignature | undefined;
  if (!member?.type) throw new Error(`no value property in:\n${text}`);
  return member.type.getText(file).replace(/\s+/g, ' ');
}

describe('typesPlugin: schema keywords', () => {
  it.each<[string, JsonSchema, string]>([
    ['string enum', { type: 'string', enum: ['a', 'b-c'] }, "'a' | 'b-c'"],
    ['integer enum', { type: 'integer', enum: [1, 2] }, '1 | 2'],
    ['const', { const: 'fixed' }, "'fixed'"],
    ['date-time format is a string', { type: 'string', format: 'date-time' }, 'string'],
    ['nullable through type list', { type: ['string', 'null'] }, 'string | null'],
    ['oneOf', { oneOf: [{ type: 'string' }, { type: 'number' }] }, 'string | number'],
    ['anyOf with null', { anyOf: [{ type: 'integer' }, { type: 'null' }] }, 'number | null'],
    [
      'allOf',
      { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }] },
      '{ a: string; }',
    ],
    ['empty schema', {}, 'unknown'],
    ['annotation-only schema', { description: 'anything' }, 'unknown'],
    ['true', true, 'unknown'],
    ['false', false, 'never'],
    ['not alone', { not: { type: 'string' } }, 'unknown'],
    ['not of everything', { not: {} }, 'never'],
    ['not next to a type keeps the type', { type: 'string', not: { const: '' } }, 'string'],
    [
      'object without properties is an open record',
      { type: 'object' },
      '{ [k: string]: unknown | undefined; }',
    ],
    [
      'additionalProperties schema is a strict index signature',
      { type: 'object', additionalProperties: { type: 'number' } },
      '{ [k: string]: number | undefined; }',
    ],
    [
      'properties without additionalProperties get no index signature',
      { type: 'object', properties: { a: { type: 'string' } } },
      '{ a?: string; }',
    ],
    [
      'array bounds do not make tuples',
      { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
      'string[]',
    ],
    ['contract tsType is ignored', { type: 'string', tsType: 'Date' }, 'string'],
    [
      'allOf members that only validate add nothing',
      // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword here
      { type: 'string', allOf: [{ if: { const: 'a' }, then: { minLength: 1 } }] },
      'string',
    ],
    [
      'a union with an unconstrained member adds nothing',
      { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
      'string',
    ],
    [
      'allOf with an if/then rule keeps the typed members',
      {
        type: 'object',
        allOf: [
          // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword here
          { if: {}, then: {} },
          { type: 'object', properties: { a: { type: 'string' } } },
        ],
        properties: { b: { type: 'number' } },
      },
      '{ a?: string; } & { b?: number; }',
    ],
  ])('%s', async (_title, schema, expected) => {
    expect(await propertyType(schema)).toBe(expected);
  });
});

describe('typesPlugin: names and structure', () => {
  it('names each payload type after the message typeName, with the message in its JSDoc', async () => {
    const text = await typesFor([
      message(
        'catalog.product.created',
        { type: 'object', properties: { id: { type: 'string' } } },
        { summary: 'Made.' },
      ),
    ]);
    expect(text).toContain('export interface CatalogProductCreated {');
    expect(text).toContain('Payload (`data`) of `catalog.product.created` events, schema version 1.0.');
    expect(text).toContain(' * Made.');
  });

  it('keeps names that json-schema-to-typescript would re-spell, and quotes non-identifier keys', async () => {
    const text = await typesFor([
      message('2fa.code_issued', {
        type: 'object',
        properties: { 'user-id': { type: 'string' }, class: {} },
      }),
    ]);
    expect(text).toContain('export interface _2faCodeIssued {');
    expect(text).toContain("'user-id'?: string;");
    expect(text).toContain('class?: unknown;');
  });

  it('declares a recursive subschema once, as a named type referring to itself', async () => {
    const category: Record<string, unknown> = { title: 'Category', type: 'object' };
    category.properties = { children: { type: 'array', items: category } };
    const text = await typesFor([message('tree', { type: 'object', properties: { root: category } })]);
    expect(text).toContain('root?: Category;');
    expect(text).toContain('export interface Category {\n  children?: Category[];\n}');
  });

  it('declares a titled subschema shared by two messages once', async () => {
    const money = { title: 'Money', type: 'object', properties: { amount: { type: 'number' } } };
    const text = await typesFor([
      message('a', { type: 'object', properties: { price: money } }),
      message('b', { type: 'object', properties: { total: money } }),
    ]);
    expect(text.match(/export interface Money /g)).toHaveLength(1);
    expect(text).toContain('price?: Money;');
    expect(text).toContain('total?: Money;');
  });

  it('inlines a nested schema whose title would take a message type name', async () => {
    const text = await typesFor([
      message('order', { type: 'object', properties: { line: { title: 'Line', type: 'object' } } }),
      message('line', { type: 'string' }),
    ]);
    expect(text).toContain('export type Line = string;');
    expect(text).toContain('line?: {');
  });

  it('gives a boolean payload a named type', async () => {
    const text = await typesFor([message('anything', true), message('nothing', false)]);
    expect(text).toContain('export type Anything = unknown;');
    expect(text).toContain('export type Nothing = never;');
  });

  it('de-duplicates a message the service both sends and receives', async () => {
    const shared = message('loop', { type: 'string' });
    const svc = service('svc', [
      send('out', topicChannel('t'), [shared]),
      receive('in', topicChannel('t'), [shared]),
    ]);
    const [file] = await typesPlugin.emit(model(svc), { outDir: 'g' });
    expect(file!.contents.match(/export type Loop /g)).toHaveLength(1);
  });

  it('emits a parameters type per parameterised channel, enums as unions, names quoted when needed', async () => {
    const channel = topicChannel('orders.{region}.{tenant-id}', {
      id: 'regional-orders',
      parameters: [
        { name: 'region', enum: ['eu', 'us'], description: 'Sales region.' },
        { name: 'tenant-id' },
      ],
    });
    const text = await typesFor([message('order', { type: 'string' })], channel);
    expect(text).toContain(
      [
        '/** Values for the `{placeholders}` of channel `orders.{region}.{tenant-id}`. */',
        'export type RegionalOrdersParameters = {',
        '  /** Sales region. */',
        "  readonly region: 'eu' | 'us';",
        "  readonly 'tenant-id': string;",
        '};',
      ].join('\n'),
    );
  });

  it('writes an empty module for a service without messages', async () => {
    const [file] = await typesPlugin.emit(model(service('idle', [])), { outDir: 'g' });
    expect(file!.contents).toBe('export {};\n');
  });

  it('is byte-identical across runs and leaves the model untouched', async () => {
    const payload = { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } };
    const before = JSON.stringify(payload);
    const first = await typesFor([message('x', payload)]);
    const second = await typesFor([message('x', payload)]);
    expect(second).toBe(first);
    expect(JSON.stringify(payload)).toBe(before);
  });

  it('reports an unresolved $ref with the message location', async () => {
    await expect(
      typesFor([message('bad', { type: 'object', properties: { a: { $ref: 'x.yaml#/A' } } })]),
    ).rejects.toThrow(/bad\.yaml#\/components\/messages\/Bad.*still contains "\$ref": "x\.yaml#\/A"/);
  });
});
