/**
 * The TypeScript code emitters, one plugin per concern (like openapi-typescript's transforms): payload types,
 * validators, runtime specs, publisher, consumer, barrel, and the user-owned handler scaffold.
 */
import type { EmitterPlugin } from '../../pipeline/plugin.ts';
import { consumerPlugin } from './consumer-plugin.ts';
import { contractPlugin } from './contract-plugin.ts';
import { handlersScaffoldPlugin } from './handlers-scaffold-plugin.ts';
import { indexPlugin } from './index-plugin.ts';
import { publisherPlugin } from './publisher-plugin.ts';
import { typesPlugin } from './types-plugin.ts';
import { validatorsPlugin } from './validators-plugin.ts';

export const codePlugins: readonly EmitterPlugin[] = [
  typesPlugin,
  validatorsPlugin,
  contractPlugin,
  publisherPlugin,
  consumerPlugin,
  indexPlugin,
  handlersScaffoldPlugin,
];

export {
  consumerPlugin,
  contractPlugin,
  handlersScaffoldPlugin,
  indexPlugin,
  publisherPlugin,
  typesPlugin,
  validatorsPlugin,
};
