/**
 * The compiler-free re-printer (ts-source.ts) against the TypeScript-compiler one it replaced
 * (typescript-oracle.ts): identical results on the library's output for every service of asyncapi/, every
 * focused test model, and random JSON schemas compiled with the generator's options.
 */
import path from 'node:path';
import fc from 'fast-check';
import { compile } from 'json-schema-to-typescript';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../../model/index.ts';
import type { ContractModel } from '../../../../model/types.ts';
import { TEST_MODELS } from '../../test-models.ts';
import { reprintDeclarations } from '../../ts-source.ts';
import { reprintDeclarationsWithTypeScript } from './typescript-oracle.ts';
import { COMPILE_OPTIONS, payloadTypeSource } from '../../types-plugin.ts';
import { CodeEmitError } from '../../errors.ts';
import { message, send, service, topicChannel } from '../../../test-support/model-builders.ts';
import { randomSchema } from './random-schema.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../../../..');
/** REPRINT_RUNS=30000 for a longer search than the default run's. */
const runs = Number(process.env.REPRINT_RUNS ?? 400);

async function expectSameOnEveryService(model: ContractModel): Promise<number> {
  let compared = 0;
  for (const service of model.services) {
    const source = await payloadTypeSource(service);
    if (source === undefined) continue;
    expect(reprintDeclarations(source), service.name).toEqual(reprintDeclarationsWithTypeScript(source));
    compared++;
  }
  return compared;
}

describe('reprintDeclarations writes what the TypeScript printer wrote', () => {
  it("for comments that stand indented in the source (lines placed relative to the first line's column)", () => {
    // The library writes no indentation (format: false), but a comment's column is what TypeScript lays its
    // further lines out from: indented and tab-indented sources must come out as the printer wrote them.
    for (const indent of ['    ', '\t', '  \t ']) {
      const source = [
        'export interface A {',
        `${indent}/* first`,
        `${indent}      deeper`,
        `${indent}  shallower */`,
        `${indent}a: string`,
        `${indent}/**`,
        `${indent} * Documented.`,
        `${indent} */`,
        `${indent}b?: number`,
        '}',
        '',
      ].join('\n');
      expect(reprintDeclarations(source), JSON.stringify(indent)).toEqual(
        reprintDeclarationsWithTypeScript(source),
      );
    }
  });

  it('for every service of the contracts in asyncapi/', async () => {
    const { model, errors } = await loadModel([path.join(repoRoot, 'asyncapi')], { root: repoRoot });
    expect(errors).toEqual([]);
    expect(await expectSameOnEveryService(model)).toBeGreaterThanOrEqual(21);
  }, 60_000);

  it('for every focused test model (the golden fixtures)', async () => {
    let compared = 0;
    for (const makeModel of Object.values(TEST_MODELS))
      compared += await expectSameOnEveryService(makeModel());
    expect(compared).toBeGreaterThan(3);
  });

  it('for random payloads of a service, through the types emitter (schema adapter, bundle, real names)', async () => {
    let compiled = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(randomSchema, { minLength: 1, maxLength: 3 }), async (payloads) => {
        const names = ['order.created', 'order.item-added', 'thing'];
        const messages = payloads.map((payload, i) => message(names[i]!, structuredClone(payload)));
        let source: string | undefined;
        try {
          source = await payloadTypeSource(service('svc', [send('publish', topicChannel('t'), messages)]));
        } catch (error) {
          if (error instanceof CodeEmitError) return; // a schema the emitter refuses (counted below)
          throw error;
        }
        compiled++;
        expect(reprintDeclarations(source!)).toEqual(reprintDeclarationsWithTypeScript(source!));
      }),
      { numRuns: runs / 4 },
    );
    expect(compiled).toBeGreaterThan((runs / 4) * 0.75);
  }, 120_000);

  it('for random JSON schemas compiled by json-schema-to-typescript', async () => {
    let compiled = 0;
    await fc.assert(
      fc.asyncProperty(randomSchema, async (root) => {
        let source: string;
        try {
          source = await compile(structuredClone(root) as never, 'Root', COMPILE_OPTIONS);
        } catch {
          return; // the library refuses some random schemas; counted below so most must compile
        }
        compiled++;
        expect(reprintDeclarations(source)).toEqual(reprintDeclarationsWithTypeScript(source));
      }),
      { numRuns: runs },
    );
    expect(compiled).toBeGreaterThan(runs * 0.75);
  }, 120_000);
});
