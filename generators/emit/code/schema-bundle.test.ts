import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../model/types.ts';
import { bundleSchemas } from './schema-bundle.ts';

const none = new Set<string>();

function selfList(): Record<string, unknown> {
  const node: Record<string, unknown> = { type: 'object', properties: { value: { type: 'string' } } };
  (node.properties as Record<string, unknown>).next = node;
  return node;
}

describe('bundleSchemas', () => {
  it('keeps acyclic payloads as they are, one $defs entry per root', () => {
    const payload = { type: 'object', properties: { id: { type: 'string' } } };
    expect(bundleSchemas([{ name: 'A', schema: payload }], { reservedNames: none })).toEqual({ A: payload });
  });

  it.each<[string, () => JsonSchema, Record<string, unknown>]>([
    [
      'a root that contains itself refers to its own definition',
      selfList,
      {
        A: { type: 'object', properties: { value: { type: 'string' }, next: { $ref: '#/$defs/A' } } },
      },
    ],
    [
      'a nested cycle becomes a named definition (named after its property path)',
      () => ({ type: 'object', properties: { list: selfList() } }),
      {
        A: { type: 'object', properties: { list: { $ref: '#/$defs/AList' } } },
        AList: { type: 'object', properties: { value: { type: 'string' }, next: { $ref: '#/$defs/AList' } } },
      },
    ],
    [
      'a titled cycle is named after its title',
      () => {
        const tree: Record<string, unknown> = { title: 'tree node', type: 'object' };
        tree.properties = { kids: { type: 'array', items: tree } };
        return { type: 'object', properties: { root: tree } };
      },
      {
        A: { type: 'object', properties: { root: { $ref: '#/$defs/TreeNode' } } },
        TreeNode: {
          title: 'tree node',
          type: 'object',
          properties: { kids: { type: 'array', items: { $ref: '#/$defs/TreeNode' } } },
        },
      },
    ],
    [
      'mutual recursion names the node the walk comes back to',
      () => {
        const person: Record<string, unknown> = { type: 'object' };
        const company: Record<string, unknown> = { type: 'object', properties: { ceo: person } };
        person.properties = { employer: company };
        return { type: 'object', properties: { person } };
      },
      {
        A: { type: 'object', properties: { person: { $ref: '#/$defs/APerson' } } },
        APerson: {
          type: 'object',
          properties: { employer: { type: 'object', properties: { ceo: { $ref: '#/$defs/APerson' } } } },
        },
      },
    ],
    [
      '$defs and definitions are dropped (refs are already resolved); $id is left to the adapter',
      () => ({ $id: 'x.json', type: 'object', $defs: { X: { type: 'string' } }, definitions: { Y: {} } }),
      { A: { $id: 'x.json', type: 'object' } },
    ],
  ])('%s', (_title, schema, expected) => {
    expect(bundleSchemas([{ name: 'A', schema: schema() }], { reservedNames: none })).toEqual(expected);
  });

  it('refers to another message type when one payload is inside another', () => {
    const inner = { type: 'object', properties: { id: { type: 'string' } } };
    const outer = { type: 'object', properties: { inner } };
    const defs = bundleSchemas(
      [
        { name: 'Outer', schema: outer },
        { name: 'Inner', schema: inner },
      ],
      { reservedNames: none },
    );
    expect(defs).toEqual({
      Outer: { type: 'object', properties: { inner: { $ref: '#/$defs/Inner' } } },
      Inner: inner,
    });
  });

  it('aliases a message whose payload is the very same schema object as an earlier one', () => {
    const payload = { type: 'string' };
    const defs = bundleSchemas(
      [
        { name: 'First', schema: payload },
        { name: 'Second', schema: payload },
      ],
      { reservedNames: none },
    );
    expect(defs).toEqual({ First: { type: 'string' }, Second: { $ref: '#/$defs/First' } });
  });

  it('keeps a shared acyclic subschema shared (one object) and never mutates the model', () => {
    const money = { title: 'Money', type: 'object', properties: { amount: { type: 'number' } } };
    const payload = { type: 'object', properties: { price: money, old: money }, enum: [{ a: 1 }] };
    const before = JSON.stringify(payload);
    const defs = bundleSchemas([{ name: 'A', schema: payload }], {
      reservedNames: none,
      adapt: (schema) => {
        schema.touched = true;
      },
    });
    const props = (defs.A as { properties: Record<string, unknown> }).properties;
    expect(props.price).toBe(props.old);
    expect(props.price).not.toBe(money);
    expect(props.price).toMatchObject({ touched: true });
    expect(JSON.stringify(payload)).toBe(before);
    expect((defs.A as { enum: unknown[] }).enum[0]).not.toBe(payload.enum[0]);
  });

  it('never gives a recursive node a reserved or already used name', () => {
    const tree: Record<string, unknown> = { title: 'A', type: 'object' };
    tree.properties = { next: tree };
    const defs = bundleSchemas([{ name: 'A', schema: { type: 'object', properties: { t: tree } } }], {
      reservedNames: new Set(['A2']),
    });
    expect(Object.keys(defs)).toEqual(['A', 'A3']);
  });

  it('passes boolean schemas through and lets finishDefinition shape every definition', () => {
    const defs = bundleSchemas(
      [
        { name: 'Yes', schema: true },
        { name: 'No', schema: false },
      ],
      { reservedNames: none, finishDefinition: (name, schema) => ({ name, schema }) },
    );
    expect(defs).toEqual({ Yes: { name: 'Yes', schema: true }, No: { name: 'No', schema: false } });
  });
});
