/**
 * The `yaml` package, loaded on first use: contracts are read by the fast reader (fast-yaml.ts), so `yaml` is
 * needed only for texts that reader leaves to it and for line positions of problems.
 */
import { createRequire } from 'node:module';

type YamlLibrary = typeof import('yaml');

const require = createRequire(import.meta.url);
let library: YamlLibrary | undefined;

export function yamlLibrary(): YamlLibrary {
  library ??= require('yaml') as YamlLibrary;
  return library;
}
