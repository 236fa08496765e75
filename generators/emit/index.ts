/**
 * Every emitter the `generate` command runs, in one list. Each is a plain-object plugin (see
 * pipeline/plugin.ts); order does not matter because the pipeline sorts output and refuses two plugins
 * writing the same path.
 */
import type { EmitterPlugin } from '../pipeline/plugin.ts';
import { codePlugins } from './code/index.ts';
import { daprPlugins } from './dapr/index.ts';
import { docsPlugin } from './docs/index.ts';
import { k6Plugin } from './k6/index.ts';
import { rabbitmqDefinitionsPlugin } from './rabbitmq/index.ts';

export const allPlugins: readonly EmitterPlugin[] = [
  ...codePlugins,
  ...daprPlugins,
  rabbitmqDefinitionsPlugin,
  docsPlugin,
  k6Plugin,
];
