import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.ts';

const message = (payload: unknown, extra: Record<string, unknown> = {}) =>
  ({
    payload,
    contentType: 'application/json',
    version: '1.0',
    schemaFormat: 'application/vnd.aai.asyncapi+json;version=3.0.0',
    ...extra,
  }) as Parameters<typeof fingerprint>[0];

describe('message fingerprints', () => {
  const base = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
  it.each([
    ['key order', { required: ['id'], properties: { id: { type: 'string' } }, type: 'object' }, true],
    ['prose', { ...base, title: 'Order', description: 'An order', examples: [{ id: 'x' }] }, true],
    ['a property type', { ...base, properties: { id: { type: 'integer' } } }, false],
    [
      'a property called title',
      { ...base, properties: { ...base.properties, title: { type: 'string' } } },
      false,
    ],
    ['required fields', { ...base, required: [] }, false],
  ])('%s %s', (_, other, same) => {
    expect(fingerprint(message(base)) === fingerprint(message(other))).toBe(same);
  });

  it.each([
    ['version', { version: '2.0' }],
    ['content type', { contentType: 'application/avro' }],
    ['headers', { headers: { type: 'object' } }],
  ])('tells a different %s apart', (_, extra) => {
    expect(fingerprint(message(base))).not.toBe(fingerprint(message(base, extra)));
  });

  it('compares recursive schemas', () => {
    const recursive = () => {
      const node: Record<string, unknown> = { type: 'object', properties: {} };
      (node.properties as Record<string, unknown>).children = { type: 'array', items: node };
      return node;
    };
    expect(fingerprint(message(recursive()))).toBe(fingerprint(message(recursive())));
  });
});
