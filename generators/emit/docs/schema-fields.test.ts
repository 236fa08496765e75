import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../model/types.ts';
import { fieldRows } from './schema-fields.ts';
import { typeOf } from './schema-type.ts';

describe('typeOf', () => {
  it.each([
    [{ type: 'string', format: 'uuid' }, 'string (uuid)'],
    [{ type: ['string', 'null'] }, 'string | null'],
    [{ enum: ['a', 1] }, '"a" | 1'],
    [{ const: 'x' }, '"x"'],
    [{ oneOf: [{ type: 'integer' }, { type: 'null' }] }, 'integer | null'],
    [{ type: 'array', items: { type: 'object', title: 'Line' } }, 'array of object (Line)'],
    [{ properties: {} }, 'object'],
    [{}, 'any'],
    [true, 'any'],
    [false, 'never'],
  ] as [JsonSchema, string][])('%j -> %s', (schema, expected) => {
    expect(typeOf(schema)).toBe(expected);
  });
});

describe('fieldRows', () => {
  const money = {
    title: 'Money',
    type: 'object',
    description: 'An amount.',
    properties: { amount: { type: 'integer' } },
  };

  it('flattens nested objects, arrays, maps and allOf parts, parents first, with required per parent', () => {
    const schema = {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', description: 'The id.' },
        lines: {
          type: 'array',
          items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
      allOf: [{ properties: { extra: { type: 'boolean' } }, required: ['extra'] }],
    };
    const rows = fieldRows(schema, ['/lines/*/sku']);
    expect(rows.map((r) => [r.path, r.pointer, r.type, r.required, r.pii])).toEqual([
      ['id', '/id', 'string', true, false],
      ['lines', '/lines', 'array of object', false, false],
      ['lines[].sku', '/lines/*/sku', 'string', true, true],
      ['labels', '/labels', 'object', false, false],
      ['labels{}', '/labels/*', 'string', false, false],
      ['extra', '/extra', 'boolean', true, false],
    ]);
    expect(rows[0]?.description).toBe('The id.');
  });

  it('expands a named type once and refers back to it afterwards', () => {
    const rows = fieldRows({ type: 'object', properties: { price: money, cost: money } }, []);
    expect(rows.map((r) => [r.path, r.type, r.description])).toEqual([
      ['price', 'object (Money)', 'An amount.'],
      ['price.amount', 'integer', undefined],
      ['cost', 'object (Money), fields as above', undefined],
    ]);
  });

  it('lists a recursive field once instead of expanding it forever', () => {
    const node: Record<string, unknown> = {
      title: 'Node',
      type: 'object',
      properties: { name: { type: 'string' } },
    };
    (node.properties as Record<string, unknown>).children = { type: 'array', items: node };
    (node.properties as Record<string, unknown>).parent = node;
    const rows = fieldRows(node, []);
    expect(rows.map((r) => [r.path, r.type])).toEqual([
      ['name', 'string'],
      ['children', 'array of object (Node), recursive'],
      ['parent', 'object (Node), recursive'],
    ]);
  });

  it('escapes property names in pointers (RFC 6901) so PII marks match them', () => {
    const rows = fieldRows(
      { type: 'object', properties: { 'a/b': { type: 'string' }, 'c~d': { type: 'string' } } },
      ['/a~1b'],
    );
    expect(rows.map((r) => [r.pointer, r.pii])).toEqual([
      ['/a~1b', true],
      ['/c~0d', false],
    ]);
  });
});
