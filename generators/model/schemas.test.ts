import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ContractFiles } from '../parse/files.ts';
import { crawlRefs } from '../parse/refs.ts';
import { ResolvingCopier } from '../parse/resolve.ts';
import { dropCyclicUnknownKeywords, piiFields, withoutParserAnnotations } from './schemas.ts';
import type { JsonSchema } from './types.ts';

const pii = (kind = 'email') => ({ type: 'string', 'x-eventwire-pii': kind });

describe('piiFields', () => {
  it.each<[string, JsonSchema, string[]]>([
    ['none', { type: 'object', properties: { id: { type: 'string' } } }, []],
    ['a top-level property', { type: 'object', properties: { email: pii() } }, ['/email']],
    [
      'a nested property',
      { properties: { customer: { properties: { phone: pii('phone') } } } },
      ['/customer/phone'],
    ],
    [
      'array items',
      { properties: { lines: { type: 'array', items: { properties: { email: pii() } } } } },
      ['/lines/*/email'],
    ],
    ['tuple items', { properties: { pair: { items: [{ type: 'string' }, pii('name')] } } }, ['/pair/1']],
    ['map values', { properties: { contacts: { additionalProperties: pii('phone') } } }, ['/contacts/*']],
    [
      'inside allOf and oneOf',
      { allOf: [{ properties: { a: pii() } }], oneOf: [{ properties: { b: pii() } }] },
      ['/a', '/b'],
    ],
    ['names needing escapes', { properties: { 'a/b': pii(), 'c~d': pii() } }, ['/a~1b', '/c~0d']],
    ['a boolean schema', true, []],
  ])('finds %s', (_, schema, expected) => {
    expect(piiFields(schema)).toEqual(expected);
  });

  it('stops at cycles', () => {
    const node: Record<string, unknown> = { properties: { email: pii() } };
    (node.properties as Record<string, unknown>).parent = node;
    expect(piiFields(node)).toEqual(['/email']);
  });
});

describe('withoutParserAnnotations', () => {
  it('drops x-parser-* keys and keeps cycles as cycles', () => {
    const input: Record<string, unknown> = { type: 'object', 'x-parser-schema-id': 'A', properties: {} };
    (input.properties as Record<string, unknown>).self = input;
    const copy = withoutParserAnnotations(input) as Record<string, Record<string, unknown>>;
    expect(Object.keys(copy)).toEqual(['type', 'properties']);
    expect(copy.properties?.self).toBe(copy);
    expect(copy).not.toBe(input);
  });
});

describe('ResolvingCopier', () => {
  it('copies a schema from another file, keeping its recursion as a cycle', async () => {
    const shop = fileURLToPath(new URL('./__fixtures__/shop/', import.meta.url));
    const files = new ContractFiles(shop);
    const search = path.join(shop, 'search.yaml');
    await files.read(search);
    await crawlRefs(files, search);
    const copier = new ResolvingCopier(files);
    // search.yaml references catalog.yaml's message, whose Product schema refers to itself.
    const payload = files.origin(
      search,
      '/channels/catalogProductCreated/messages/CatalogProductCreated/payload',
    );
    expect(payload).toEqual({
      file: path.join(shop, 'catalog.yaml'),
      pointer: '/components/schemas/Product',
    });
    const product = copier.copy(payload) as Record<string, Record<string, Record<string, unknown>>>;
    expect(product.properties?.variants?.items).toBe(product);
    expect(product.properties?.name).toEqual({ type: 'string' });
    expect(copier.copy(payload)).toBe(product);
    expect(copier.copy({ file: search, pointer: '/nothing/here' })).toBeUndefined();
  });
});

describe('dropCyclicUnknownKeywords', () => {
  it('drops a non-schema keyword whose value refers back into the schema, and suggests the keyword meant', () => {
    const payload: Record<string, unknown> = { type: 'object' };
    payload.property = payload;
    const dropped = dropCyclicUnknownKeywords(payload);
    expect(dropped).toEqual([{ pointer: '/property', keyword: 'property', suggestion: 'properties' }]);
    expect(payload).toEqual({ type: 'object' });
    expect(() => JSON.stringify(payload)).not.toThrow();
  });
  it('keeps recursive schemas (cycles through schema keywords), annotations and acyclic unknown keywords', () => {
    const node: Record<string, unknown> = { type: 'object', title: 'Node', 'x-note': 'kept' };
    node.properties = { children: { type: 'array', items: node }, meta: { foo: { bar: 1 } } };
    expect(dropCyclicUnknownKeywords(node)).toEqual([]);
    expect((node.properties as Record<string, unknown>).children).toEqual({ type: 'array', items: node });
  });
});
