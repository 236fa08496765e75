/**
 * The broker modes of `eventwire test --brokers`, each loaded on demand. A mode is a module that exports
 * `provider` (a BrokerProvider: start the brokers a suite needs) and `backend` (a HarnessBackend: run schedules
 * on them): `memory` is harness/memory/, `local` harness/local/, `containers` harness/containers/.
 */
import { ModeUnavailableError } from './engine/errors.ts';
import type { BrokerMode, BrokerProvider, HarnessBackend } from './engine/types.ts';
import { siblingModule } from '../generators/sibling-module.ts';
import { memoryBrokers } from './memory/provider.ts';
import { memoryBackend } from './memory/world.ts';

export interface ModeModule {
  readonly provider: BrokerProvider;
  readonly backend: HarnessBackend;
}

export const BROKER_MODES: readonly BrokerMode[] = ['memory', 'local', 'containers'];

const LOADERS: Readonly<Record<BrokerMode, () => Promise<ModeModule>>> = {
  memory: async () => ({ provider: memoryBrokers, backend: memoryBackend() }),
  local: () => load('./local/index.ts', 'local'),
  containers: () => load('./containers/index.ts', 'containers'),
};

export function loadMode(mode: BrokerMode): Promise<ModeModule> {
  return LOADERS[mode]();
}

async function load(path: string, mode: BrokerMode): Promise<ModeModule> {
  let module: Partial<ModeModule>;
  try {
    module = (await import(siblingModule(path, import.meta.url).href)) as Partial<ModeModule>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new ModeUnavailableError(
      `--brokers ${mode} is not available in this installation (no harness/${mode}/)`,
    );
  }
  if (!module.provider || !module.backend) {
    throw new ModeUnavailableError(`harness/${mode}/index.ts must export \`provider\` and \`backend\``);
  }
  return module as ModeModule;
}
