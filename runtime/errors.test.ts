import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatIssues } from './errors.ts';
import type { ValidationIssue } from './spec.ts';

const issuesOf = (schema: object, data: unknown): ValidationIssue[] => {
  const validate = new Ajv({ allErrors: true }).compile(schema);
  validate(data);
  return (validate.errors ?? []) as ValidationIssue[];
};

describe('formatIssues', () => {
  it('names the property a closed schema refuses, where ajv keeps it in params', () => {
    const closed = {
      type: 'object',
      properties: {
        id: { type: 'string' },
        items: { type: 'array', items: { type: 'object', additionalProperties: false } },
      },
      additionalProperties: false,
    };
    const text = formatIssues(issuesOf(closed, { id: 'a', coupon: 'X', items: [{ sku: 1 }] }));
    expect(text).toBe(
      '(root) must NOT have the additional property "coupon"; /items/0 must NOT have the additional property "sku"',
    );
  });

  it('names a missing required property by its path, and cuts a huge property name short', () => {
    const text = formatIssues(
      issuesOf(
        { type: 'object', required: ['id'], additionalProperties: false },
        { ['x'.repeat(10_000)]: 1 },
      ),
    );
    expect(text).toContain("/id must have required property 'id'");
    expect(text.length).toBeLessThan(200);
  });
});
