/**
 * The AsyncAPI 3.x structure validators shipped in precompiled/, found through precompiled/manifest.json, so a
 * run validates documents without importing the parser (whose import and rulesets are most of a cold run).
 * The manifest records the package versions the code was built from; when the installed ones differ (an
 * upgrade without `node generators/parse/precompile.ts`), nothing is shipped for any version and documents go
 * to the parser, which is slower and gives the same verdicts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { packageVersion } from './cache.ts';

const require = createRequire(import.meta.url);

/** Where the validators ship (beside this module, so an installed eventwire finds them). */
export const PRECOMPILED_FOLDER = fileURLToPath(new URL('./precompiled/', import.meta.url));
export const MANIFEST_FILE = 'manifest.json';

/** What decides the shipped code: the schemas' package, the parser that prepares them, ajv and its formats. */
const PACKAGES = ['@asyncapi/specs', '@asyncapi/parser', 'ajv', 'ajv-formats'] as const;

export interface Manifest {
  readonly packages: Readonly<Record<string, string>>;
  readonly versions: Record<string, { readonly resolved: string; readonly unresolved: string }>;
}

export interface ShippedValidators {
  /** The document with every `$ref` resolved (rule `asyncapi-document-resolved`). */
  readonly resolved: ValidateFunction;
  /** The document as written (rule `asyncapi-document-unresolved`: `$ref`s where none is allowed). */
  readonly unresolved: ValidateFunction;
}

export function manifestPackages(): Record<string, string> {
  return Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)]));
}

let manifest: Manifest | null | undefined;

function currentManifest(): Manifest | null {
  if (manifest !== undefined) return manifest;
  try {
    const read = JSON.parse(readFileSync(path.join(PRECOMPILED_FOLDER, MANIFEST_FILE), 'utf8')) as Manifest;
    const installed = manifestPackages();
    manifest = PACKAGES.every((name) => read.packages[name] === installed[name]) ? read : null;
  } catch {
    manifest = null;
  }
  return manifest;
}

const loaded = new Map<string, ShippedValidators | null>();

/** The validators of an AsyncAPI version, or undefined when none ship for it (or they are stale). */
export function shippedValidators(version: string): ShippedValidators | undefined {
  if (!loaded.has(version)) {
    const files = currentManifest()?.versions[version];
    let validators: ShippedValidators | null = null;
    if (files) {
      try {
        const load = (name: string) => require(path.join(PRECOMPILED_FOLDER, name)) as ValidateFunction;
        validators = { resolved: load(files.resolved), unresolved: load(files.unresolved) };
      } catch {
        validators = null;
      }
    }
    loaded.set(version, validators);
  }
  return loaded.get(version) ?? undefined;
}
