/**
 * Every code emitter is a pure function of one service's part of the model, so its output is kept per service,
 * by the content key of that part (content-key.ts): in memory for the next run in this process (a `--watch`
 * session re-renders only the services an edit changed), and in the cache folder for the next process. The key
 * is computed once per service object per run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ContractModel, Service } from '../../model/types.ts';
import { hashOf, jsonStore, packageVersion } from '../../parse/cache.ts';
import { BoundedMap } from '../../pipeline/bounded-map.ts';
import { moduleExtension, siblingModule } from '../../sibling-module.ts';
import type { GeneratedFile } from '../../pipeline/plugin.ts';
import { contentKey } from './content-key.ts';

type Files = readonly GeneratedFile[];

/** Outputs of the last two runs' worth of services and emitters: enough for a watch session. */
const MAX_KEPT = 4096;
const keys = new WeakMap<Service, string>();
const kept = new BoundedMap<string, Files | Promise<Files>>(MAX_KEPT);

/** Drops what this process kept (the stores stay): a new process in tests. */
export function forgetKeptOutputs(): void {
  kept.clear();
}

function serviceKey(service: Service): string {
  let key = keys.get(service);
  if (key === undefined) {
    key = contentKey(service);
    keys.set(service, key);
  }
  return key;
}

function remember<T extends Files | Promise<Files>>(key: string, output: T): T {
  kept.set(key, output);
  return output;
}

export function emitPerService(
  model: ContractModel,
  emitter: string,
  emit: (service: Service) => Files,
  store: OutputStore = codeStore,
): Files {
  return model.services.flatMap((service) => {
    const key = `${emitter}\u0000${serviceKey(service)}`;
    const earlier = kept.get(key);
    if (earlier && !(earlier instanceof Promise)) return remember(key, earlier);
    const storedKey = contentKey([store.salt(), key]);
    const stored = store.get(storedKey);
    if (isFiles(stored)) return remember(key, stored);
    const files = emit(service);
    store.set(storedKey, files);
    return remember(key, files);
  });
}

/** Outputs kept across processes too: `salt` names everything besides the inputs the output depends on. */
export interface OutputStore {
  readonly salt: () => string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
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
    ].map((url) => readFileSync(url, 'utf8'));
    const versions = ['typescript', 'json-schema-to-typescript', 'ajv', 'ajv-formats'].map(packageVersion);
    codeSalt = hashOf('code', 1, versions, code);
  }
  return codeSalt;
}

export const codeStore: OutputStore = { ...jsonStore('code', codeSaltOf), salt: codeSaltOf };

function isFiles(value: unknown): value is Files {
  return (
    Array.isArray(value) &&
    value.every((file) => typeof file?.path === 'string' && typeof file.contents === 'string')
  );
}

/**
 * `inputs` narrows the key to what the emitter reads of the service, for an emitter expensive enough that a
 * change elsewhere in the service (its title) should not run it again; `store` keeps its output on disk.
 */
export async function emitPerServiceAsync(
  model: ContractModel,
  emitter: string,
  emit: (service: Service) => Promise<Files>,
  inputs?: (service: Service) => unknown,
  store: OutputStore = codeStore,
): Promise<Files> {
  const outputs = await Promise.all(
    model.services.map((service) => {
      const key = `${emitter}\u0000${inputs ? contentKey(inputs(service)) : serviceKey(service)}`;
      const earlier = kept.get(key);
      if (earlier) return remember(key, Promise.resolve(earlier));
      const storedKey = contentKey([store.salt(), key]);
      const stored = store.get(storedKey);
      if (isFiles(stored)) return remember(key, Promise.resolve(stored));
      const output = emit(service).then(
        (files) => {
          store.set(storedKey, files);
          return files;
        },
        (error: unknown) => {
          // A failure is not kept: the next run reports it again.
          kept.delete(key);
          throw error;
        },
      );
      return remember(key, output);
    }),
  );
  return outputs.flat();
}
