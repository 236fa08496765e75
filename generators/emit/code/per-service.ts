/**
 * Every code emitter is a pure function of one service's part of the model, so its output is kept per service
 * through the memo (pipeline/memo.ts): by emitter and the content of what the emitter is given, in memory for
 * the next run in this process (a `--watch` session re-renders only the services an edit changed), and in the
 * cache folder for the next process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ContractModel, Service } from '../../model/types.ts';
import { hashOf, jsonStore, packageVersion } from '../../parse/cache.ts';
import { memo, memoAsync, type MemoStore } from '../../pipeline/memo.ts';
import { moduleExtension, siblingModule } from '../../sibling-module.ts';
import type { GeneratedFile } from '../../pipeline/plugin.ts';

type Files = readonly GeneratedFile[];

/** Each service's output of `emit`, which is given the whole service. */
export function emitPerService(
  model: ContractModel,
  emitter: string,
  emit: (service: Service) => Files,
  store: MemoStore = codeStore,
): Files {
  return model.services.flatMap((service) => memo(emitter, service, emit, { store, accept: isFiles }));
}

let codeSalt: string | undefined;

/**
 * The code emitters' outputs in the cache folder, salted with the code that wrote them (every module of the
 * code emitters and the model's naming) and the libraries' versions: any change to either misses.
 */
function codeSaltOf(): string {
  if (codeSalt === undefined) {
    const folder = new URL('./', import.meta.url);
    const extension = moduleExtension(import.meta.url);
    const modules = readdirSync(folder)
      .filter(
        (name) =>
          name.endsWith(extension) &&
          !name.endsWith(`.test${extension}`) &&
          !name.endsWith('.d.ts') &&
          !name.startsWith('test-'),
      )
      .sort();
    const code = [
      ...modules.map((name) => new URL(name, folder)),
      siblingModule('../../model/names.ts', import.meta.url),
      siblingModule('../../pipeline/memo.ts', import.meta.url),
      siblingModule('../../pipeline/content-key.ts', import.meta.url),
    ].map((url) => readFileSync(url, 'utf8'));
    const versions = ['json-schema-to-typescript', 'ajv', 'ajv-formats'].map(packageVersion);
    codeSalt = hashOf('code', 1, versions, code);
  }
  return codeSalt;
}

export const codeStore: MemoStore = { ...jsonStore('code', codeSaltOf), salt: codeSaltOf };

function isFiles(value: unknown): value is Files {
  return (
    Array.isArray(value) &&
    value.every((file) => typeof file?.path === 'string' && typeof file.contents === 'string')
  );
}

/**
 * Each service's output of `emit`, which is given only `inputOf(service)`: for an emitter expensive enough that
 * a change elsewhere in the service (its title) should not run it again. `emit` cannot read anything else of the
 * service, so nothing it reads can be left out of the key.
 */
export async function emitPerServiceAsync<I>(
  model: ContractModel,
  emitter: string,
  inputOf: (service: Service) => I,
  emit: (input: I) => Promise<Files>,
  store: MemoStore = codeStore,
): Promise<Files> {
  const outputs = await Promise.all(
    model.services.map((service) => memoAsync(emitter, inputOf(service), emit, { store, accept: isFiles })),
  );
  return outputs.flat();
}
