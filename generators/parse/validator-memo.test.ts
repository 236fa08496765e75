import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { rememberValidObjects } from './validator-memo.ts';

const require = createRequire(import.meta.url);
const schema = {
  $id: 'memo-test',
  definitions: {
    item: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        children: { type: 'array', items: { $ref: '#/definitions/item' } },
      },
    },
  },
  type: 'object',
  properties: { first: { $ref: '#/definitions/item' }, second: { $ref: '#/definitions/item' } },
};

let folder: string | undefined;
afterAll(() => (folder ? rm(folder, { recursive: true, force: true }) : undefined));

async function compiled(transform: boolean): Promise<ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, code: { source: true } });
  const source = standaloneCode.default(ajv, ajv.compile(schema));
  folder ??= await mkdtemp(path.join(tmpdir(), 'eventwire-memo-'));
  const file = path.join(folder, `${transform ? 'memo' : 'plain'}.cjs`);
  const changed = rememberValidObjects(source);
  if (transform) expect(changed).not.toBe(source);
  await writeFile(file, transform ? changed : source);
  return require(file) as ValidateFunction;
}

describe('validators that remember the objects they found valid', () => {
  it('give the answers and errors of the plain code, for shared and repeated objects', async () => {
    const [plain, memo] = await Promise.all([compiled(false), compiled(true)]);
    const shared = { name: 'a', children: [{ name: 'b' }] };
    const broken = { children: [{ name: 1 }] };
    for (const data of [
      { first: shared, second: shared },
      { first: shared, second: broken },
      { first: broken, second: shared },
      { first: shared, second: shared },
    ]) {
      expect(memo(data)).toBe(plain(data));
      expect(memo.errors).toEqual(plain.errors);
    }
  });

  it('changes the code it knows, and leaves code of another shape alone', () => {
    const source =
      '"use strict";function validate0(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;validate0.errors = vErrors;return errors === 0;}';
    expect(rememberValidObjects(source)).toContain('__rememberValid(data,validate0)');
    expect(rememberValidObjects('module.exports = () => true;')).toBe('module.exports = () => true;');
  });
});
