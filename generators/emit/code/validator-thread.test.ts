import { afterAll, describe, expect, it } from 'vitest';
import { compileChunk, InvalidSchema, type ValidatorInput } from './validator-chunk.ts';
import { ValidatorThread } from './validator-thread.ts';

const order: ValidatorInput = {
  draft: 'draft-07',
  typeName: 'OrderCreated',
  validatorName: 'validateOrderCreated',
  defs: {
    OrderCreated: {
      type: 'object',
      properties: { email: { type: 'string', format: 'email' }, lines: { type: 'array', uniqueItems: true } },
      required: ['email'],
    },
  },
};
const newer: ValidatorInput = {
  ...order,
  draft: 'draft-2020-12',
  defs: { OrderCreated: { type: 'object', prefixItems: [{ type: 'string' }], maxProperties: 3 } },
};
/** `minLength` must be a number: not valid JSON Schema. */
const invalid: ValidatorInput = { ...order, defs: { OrderCreated: { type: 'string', minLength: 'x' } } };

const thread = new ValidatorThread(new URL('./validator-worker.ts', import.meta.url));
afterAll(() => thread.terminate());

/** The chunk as it comes back: imports as entries, so a Map's order is compared too. */
const plain = (chunk: { imports: ReadonlyMap<string, string>; code: string }) => ({
  imports: [...chunk.imports],
  code: chunk.code,
});

describe('the validator thread', () => {
  it('compiles the very chunks this thread compiles, for every draft, all requests in flight at once', async () => {
    const chunks = await Promise.all([order, newer, order].map((input) => thread.compile(input)));
    expect(chunks.map(plain)).toEqual([order, newer, order].map((input) => plain(compileChunk(input))));
    // ajv's helper modules come back as the Map the module assembler reads.
    expect(chunks[0]!.imports.get('ajv/dist/runtime/equal')).toBe('runtime$equal');
  });

  it('refuses a schema that is not JSON Schema as this thread does, with the same words', async () => {
    const here = (() => {
      try {
        compileChunk(invalid);
      } catch (error) {
        return error;
      }
    })();
    expect(here).toBeInstanceOf(InvalidSchema);
    const there = await thread.compile(invalid).catch((error: unknown) => error);
    expect(there).toBeInstanceOf(InvalidSchema);
    expect((there as Error).message).toBe((here as Error).message);
    expect((there as Error).message).toContain('minLength');
  });

  it('compiles here what a worker that cannot run was asked, before and after it failed', async () => {
    const broken = new ValidatorThread(new URL('data:text/javascript,throw new Error("no worker today")'));
    try {
      const asked = broken.compile(order);
      expect(plain(await asked)).toEqual(plain(compileChunk(order)));
      expect(broken.usable).toBe(false);
      expect(plain(await broken.compile(newer))).toEqual(plain(compileChunk(newer)));
    } finally {
      await broken.terminate();
    }
  });
});
