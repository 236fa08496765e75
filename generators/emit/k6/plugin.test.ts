import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  model as contractModel,
  example,
  message,
  receive,
  delivery,
  send,
  service,
  topicChannel,
  TEST_DOCUMENT,
} from '../test-support/model-builders.ts';
import { k6Plugin } from './plugin.ts';

const LIBRARY = join(import.meta.dirname, '../../../loadtest/lib');

const publisher = () =>
  contractModel(
    service(
      'a',
      [
        send(
          'pubCreated',
          topicChannel('a.b.created', {
            messages: [message('a.b.created', {}, { file: TEST_DOCUMENT, examples: [example({})] })],
            file: TEST_DOCUMENT,
          }),
        ),
      ],
      { layout: 'asyncapi' },
    ),
  );

describe('the k6 library written beside the scripts', () => {
  it.each(['generated', 'build/generated'])(
    'scripts in %s/loadtest import it relatively, whatever the output directory',
    async (outDir) => {
      const files = await k6Plugin.emit(publisher(), { outDir });
      const script = files.find((f) => f.path === 'loadtest/a.k6.ts')!;
      const imports = [...script.contents.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(new Set(imports)).toEqual(new Set(['k6/options', './lib/index.ts']));
    },
  );

  it('is every module of loadtest/lib, as written, stamped generated from no contract', async () => {
    const files = await k6Plugin.emit(publisher(), { outDir: 'generated' });
    const library = files.filter((f) => f.path.startsWith('loadtest/lib/'));
    const sources = readdirSync(LIBRARY)
      .filter((name) => name.endsWith('.ts'))
      .sort();
    expect(library.map((f) => f.path)).toEqual(sources.map((name) => `loadtest/lib/${name}`));
    for (const file of library) {
      expect(file.contents).toBe(
        readFileSync(join(LIBRARY, file.path.slice('loadtest/lib/'.length)), 'utf8'),
      );
      expect(file).toMatchObject({ ownership: 'generated', sources: [] });
    }
  });

  it('imports nothing outside itself but k6 modules', async () => {
    const files = await k6Plugin.emit(publisher(), { outDir: 'generated' });
    for (const file of files.filter((f) => f.path.startsWith('loadtest/lib/'))) {
      for (const [, specifier] of file.contents.matchAll(/(?:from|import)\s+'([^']+)'/g)) {
        expect(specifier, file.path).toMatch(/^(?:k6(?:\/[a-z-]+)?|\.\/[a-z0-9-]+\.ts)$/);
      }
    }
  });
});

describe('k6Plugin', () => {
  it('names operations without an example in the script, and writes no script when none has one', async () => {
    const withExample = message(
      'a.b.created',
      { type: 'object' },
      { file: TEST_DOCUMENT, examples: [example({ id: 1 })] },
    );
    const without = message('a.b.deleted', { type: 'object' }, { file: TEST_DOCUMENT });
    const model = contractModel(
      service(
        'a',
        [
          send('pubCreated', topicChannel('a.b.created', { messages: [withExample], file: TEST_DOCUMENT })),
          send('pubDeleted', topicChannel('a.b.deleted', { messages: [without], file: TEST_DOCUMENT })),
        ],
        { layout: 'asyncapi' },
      ),
      service(
        'b',
        [
          send('pubDeleted', topicChannel('a.b.deleted', { messages: [without], file: TEST_DOCUMENT })),
          receive(
            'on',
            topicChannel('a.b.created', { messages: [withExample], file: TEST_DOCUMENT }),
            [withExample],
            { delivery: delivery('on') },
          ),
        ],
        { layout: 'asyncapi' },
      ),
    );
    const files = await k6Plugin.emit(model, { outDir: 'generated' });
    expect(files.filter((f) => !f.path.startsWith('loadtest/lib/')).map((f) => f.path)).toEqual([
      'loadtest/a.k6.ts',
    ]);
    expect(files[0]?.contents).toContain('Not load-tested, the contract has no example for: pubDeleted.');
    expect(files[0]?.contents).not.toContain('function pubDeleted');
  });
});

it('writes no library when no script needs it', async () => {
  const without = message('a.b.deleted', { type: 'object' }, { file: TEST_DOCUMENT });
  const model = contractModel(
    service(
      'a',
      [send('pubDeleted', topicChannel('a.b.deleted', { messages: [without], file: TEST_DOCUMENT }))],
      { layout: 'asyncapi' },
    ),
  );
  expect(await k6Plugin.emit(model, { outDir: 'generated' })).toEqual([]);
});
