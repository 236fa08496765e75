/** Which image each broker container runs: environment, the machine's local builds, the project config, default. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContainerSettingsError, OFFICIAL_IMAGES, resolveImages } from '../settings.ts';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'eventwire-images-'));
  mkdirSync(path.join(root, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const config = (images: object) => JSON.stringify({ containers: { images } });
const local = (images: object) => JSON.stringify({ $comment: 'written by .ci/docker.sh', images });

describe('broker image settings', () => {
  it('defaults to the official images', () => {
    const images = resolveImages(project({}), {});
    expect(images).toEqual({
      redis: { image: 'redis:7.4', source: 'default' },
      rabbitmq: { image: 'rabbitmq:3.13-management', source: 'default' },
      postgres: { image: 'postgres:16', source: 'default' },
    });
    expect(Object.values(images).map((setting) => setting.image)).toEqual(Object.values(OFFICIAL_IMAGES));
  });

  it('takes eventwire.config.json, then the local builds over it, then the environment over both', () => {
    const root = project({
      'eventwire.config.json': config({
        redis: 'mirror.example/redis:7.4',
        postgres: 'mirror.example/postgres:16',
      }),
      '.eventwire/local-images.json': local({ redis: 'eventwire-local/redis:7.0-bookworm' }),
    });
    const images = resolveImages(path.join(root), { EVENTWIRE_POSTGRES_IMAGE: ' postgres:16-alpine ' });
    expect(images.redis).toEqual({
      image: 'eventwire-local/redis:7.0-bookworm',
      source: expect.stringContaining('local-images.json /images/redis'),
    });
    expect(images.postgres).toEqual({ image: 'postgres:16-alpine', source: 'EVENTWIRE_POSTGRES_IMAGE' });
    expect(images.rabbitmq.source).toBe('default');
  });

  it('finds the project root from a sub-folder', () => {
    const root = project({ 'eventwire.config.json': config({ rabbitmq: 'rabbitmq:3.13' }) });
    mkdirSync(path.join(root, 'services', 'order'), { recursive: true });
    expect(resolveImages(path.join(root, 'services', 'order'), {}).rabbitmq.image).toBe('rabbitmq:3.13');
  });

  it.each([
    [
      config({ redis: 7 }),
      /eventwire.config.json \/containers\/images\/redis: expected an image name such as "redis:7.4"/,
    ],
    [
      config({ kafka: 'x' }),
      /\/containers\/images\/kafka: unknown broker; expected one of redis, rabbitmq, postgres/,
    ],
    [JSON.stringify({ containers: { images: ['redis:7.4'] } }), /\/containers\/images: expected an object/],
    ['{ nope', /eventwire.config.json: cannot be parsed/],
  ])('refuses a bad setting with the file, the JSON pointer and what was expected: %s', (text, message) => {
    const root = project({ 'eventwire.config.json': text });
    expect(() => resolveImages(root, {})).toThrow(ContainerSettingsError);
    expect(() => resolveImages(root, {})).toThrow(message);
  });
});
