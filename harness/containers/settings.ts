/**
 * Which image each broker container runs. Resolved per broker, first found wins:
 *
 *   1. the environment: EVENTWIRE_REDIS_IMAGE, EVENTWIRE_RABBITMQ_IMAGE, EVENTWIRE_POSTGRES_IMAGE;
 *   2. `.eventwire/local-images.json` beside the project config: what `.ci/docker.sh` built on this machine;
 *   3. `containers.images` in `eventwire.config.json`;
 *   4. the official image a user's Docker would pull.
 *
 * The harness never pulls: an image that is not in the local engine is an error naming the setting to change.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findConfigFile } from '../../ci/src/config/config.ts';

export type BrokerKind = 'redis' | 'rabbitmq' | 'postgres';
export const BROKER_KINDS: readonly BrokerKind[] = ['redis', 'rabbitmq', 'postgres'];

export const OFFICIAL_IMAGES: Record<BrokerKind, string> = {
  redis: 'redis:7.4',
  rabbitmq: 'rabbitmq:3.13-management',
  postgres: 'postgres:16',
};

export const IMAGE_VARIABLES: Record<BrokerKind, string> = {
  redis: 'EVENTWIRE_REDIS_IMAGE',
  rabbitmq: 'EVENTWIRE_RABBITMQ_IMAGE',
  postgres: 'EVENTWIRE_POSTGRES_IMAGE',
};

export const LOCAL_IMAGES_FILE = path.join('.eventwire', 'local-images.json');

export interface ImageSetting {
  readonly image: string;
  /** Where the name came from, for messages: `EVENTWIRE_REDIS_IMAGE`, a file and JSON pointer, or `default`. */
  readonly source: string;
}

export class ContainerSettingsError extends Error {
  override name = 'ContainerSettingsError';
}

/** The images for every broker kind, as seen from `cwd` with `env`. */
export function resolveImages(
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Record<BrokerKind, ImageSetting> {
  const found = findConfigFile(cwd);
  if (found.error) throw new ContainerSettingsError(found.error);
  const root = found.file ? path.dirname(found.file) : path.resolve(cwd);
  const local = readImages(path.join(root, LOCAL_IMAGES_FILE), '/images', cwd);
  const config = found.file ? readImages(found.file, '/containers/images', cwd) : {};
  const resolved = {} as Record<BrokerKind, ImageSetting>;
  for (const kind of BROKER_KINDS) {
    const variable = IMAGE_VARIABLES[kind];
    const fromEnv = env[variable]?.trim();
    resolved[kind] = fromEnv
      ? { image: fromEnv, source: variable }
      : (local[kind] ?? config[kind] ?? { image: OFFICIAL_IMAGES[kind], source: 'default' });
  }
  return resolved;
}

/** `{ redis?, rabbitmq?, postgres? }` at `pointer` in a JSON file; a missing file or section is empty. */
function readImages(file: string, pointer: string, cwd: string): Partial<Record<BrokerKind, ImageSetting>> {
  if (!existsSync(file)) return {};
  const shown = path.relative(cwd, file) || file;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ContainerSettingsError(
      `${shown}: cannot be parsed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const section = pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), data);
  if (section === undefined) return {};
  if (!isObject(section)) {
    throw new ContainerSettingsError(
      `${shown} ${pointer}: expected an object of image names ({ "redis": "redis:7.4", ... })`,
    );
  }
  const images: Partial<Record<BrokerKind, ImageSetting>> = {};
  for (const [key, value] of Object.entries(section)) {
    if (key.startsWith('$')) continue;
    if (!BROKER_KINDS.includes(key as BrokerKind)) {
      throw new ContainerSettingsError(
        `${shown} ${pointer}/${key}: unknown broker; expected one of ${BROKER_KINDS.join(', ')}`,
      );
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ContainerSettingsError(
        `${shown} ${pointer}/${key}: expected an image name such as "${OFFICIAL_IMAGES[key as BrokerKind]}"`,
      );
    }
    images[key as BrokerKind] = { image: value.trim(), source: `${shown} ${pointer}/${key}` };
  }
  return images;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
