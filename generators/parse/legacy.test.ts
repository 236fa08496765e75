import { describe, expect, it } from 'vitest';
import { checkVersion, convertToV3, legacyShapeProblems } from './legacy.ts';

describe('AsyncAPI versions', () => {
  it.each([
    ['3.0.0', { kind: 'current', version: '3.0.0' }],
    ['3.1.0', { kind: 'current', version: '3.1.0' }],
    ['2.6.0', { kind: 'legacy', version: '2.6.0' }],
    ['1.2.0', { kind: 'legacy', version: '1.2.0' }],
    [
      '4.0.0',
      {
        kind: 'unsupported',
        message: 'AsyncAPI 4.0.0 is not supported: eventwire reads AsyncAPI 3.x documents',
        hint: 'write the document as AsyncAPI 3.0.0',
      },
    ],
    [
      3,
      {
        kind: 'unsupported',
        message: '"asyncapi" must be a version string such as "3.0.0" (found 3)',
        hint: 'quote the version: asyncapi: "3.0.0"',
      },
    ],
  ])('classifies %j', (value, expected) => {
    expect(checkVersion(value)).toEqual(expected);
  });

  it('converts a 2.6 document to 3.0 with the publisher as a send operation', async () => {
    const document = {
      asyncapi: '2.6.0',
      info: { title: 'Billing', version: '1.0.0' },
      channels: {
        'billing.invoice.issued': {
          subscribe: {
            operationId: 'publishInvoiceIssued',
            message: { name: 'billing.invoice.issued', payload: { type: 'object' } },
          },
        },
      },
    };
    const result = await convertToV3(document, '2.6.0', 'billing.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.asyncapi).toBe('3.0.0');
    expect(result.document.operations).toMatchObject({ publishInvoiceIssued: { action: 'send' } });
    expect(document.asyncapi).toBe('2.6.0');
  });

  it('reports a document the converter cannot handle', async () => {
    const result = await convertToV3({ asyncapi: '2.99.0', info: {} }, '2.99.0', 'odd.yaml');
    expect(result).toMatchObject({
      ok: false,
      code: 'conversion-failed',
      message:
        'AsyncAPI 2.99.0 document could not be converted to 3.0.0: Cannot convert from 2.99.0 to 3.0.0.',
    });
  });
});

describe('legacyShapeProblems: what the converter needs, reported as the JSON Schema would', () => {
  it('a 2.x document without info or channels', () => {
    expect(legacyShapeProblems({ asyncapi: '2.0.0' }, '2.0.0').map((p) => [p.pointer, p.message])).toEqual([
      ['', 'missing required property "info"'],
      ['', 'missing required property "channels"'],
    ]);
  });
  it('info without a title, with a version of the wrong type', () => {
    const problems = legacyShapeProblems({ info: { version: 2 }, channels: {} }, '2.6.0');
    expect(problems.map((p) => [p.pointer, p.message])).toEqual([
      ['/info', 'missing required property "title"'],
      ['/info/version', '"info.version" must be a string'],
    ]);
  });
  it('a complete document has none', () => {
    expect(legacyShapeProblems({ info: { title: 't', version: '1' }, channels: {} }, '2.6.0')).toEqual([]);
  });
});
