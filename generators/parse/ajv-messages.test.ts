import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { describeAjvError, errorPointer } from './ajv-messages.ts';

const ajv = new Ajv({ allErrors: true, verbose: true });
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-z]+$', description: 'A lowercase name.' },
    kind: { enum: ['topic', 'queue'] },
    count: { type: 'integer', minimum: 1 },
    fixed: { const: 'yes' },
    list: { type: 'array', items: { type: 'string' } },
  },
};
const validate = ajv.compile(schema);

function firstError(value: unknown) {
  validate(value);
  const [error] = validate.errors ?? [];
  if (!error) throw new Error('expected an error');
  return { pointer: errorPointer(error), message: describeAjvError(error) };
}

describe('ajv errors in words', () => {
  it.each([
    [{}, '', 'missing required property "name"'],
    [{ name: 'a', extra: 1 }, '/extra', 'property "extra" is not allowed here'],
    [{ name: 'a', kind: 'stream' }, '/kind', '"kind" must be one of "topic", "queue"'],
    [{ name: 'a', count: 'two' }, '/count', '"count" must be an integer'],
    [{ name: 'a', count: 0 }, '/count', '"count" must be >= 1'],
    [{ name: 'a', fixed: 'no' }, '/fixed', '"fixed" must be "yes"'],
    [{ name: 'A' }, '/name', '"name" must match ^[a-z]+$ (A lowercase name)'],
    [{ name: 'a', list: ['x', 2] }, '/list/1', 'item 1 must be a string'],
    ['text', '', 'value must be an object'],
  ])('describes %j', (value, pointer, message) => {
    expect(firstError(value)).toEqual({ pointer, message });
  });
});
