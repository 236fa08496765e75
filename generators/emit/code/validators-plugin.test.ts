import { describe, expect, it } from 'vitest';
import type { Message } from '../../model/types.ts';
import { requireToImports } from './ajv-standalone.ts';
import { message, model, receive, send, service, topicChannel } from '../test-support/model-builders.ts';
import { validatorsPlugin } from './validators-plugin.ts';

async function emitFor(...services: ReturnType<typeof service>[]) {
  return validatorsPlugin.emit(model(...services), { outDir: 'g' });
}

type Files = Awaited<ReturnType<typeof emitFor>>;

/** The shared module holding one payload's validator. */
function moduleOf(files: Files, typeName: string): string {
  const found = files.filter((f) => new RegExp(`^_validators/${typeName}\\.[0-9a-f]{10}\\.js$`).test(f.path));
  expect(found.map((f) => f.path)).toHaveLength(1);
  return found[0]!.contents;
}

const withFormats = message('user.registered', {
  type: 'object',
  properties: {
    email: { type: 'string', format: 'email' },
    at: { type: 'string', format: 'date-time' },
    name: { type: 'string', maxLength: 10 },
    tags: { type: 'array', uniqueItems: true },
  },
  required: ['email'],
});

describe('validatorsPlugin', () => {
  it('writes validators.js and validators.d.ts per service with messages, nothing for one without', async () => {
    const files = await emitFor(
      service('users', [send('registered', topicChannel('u'), [withFormats])]),
      service('idle', []),
    );
    expect(files.map((f) => [f.path.replace(/[0-9a-f]{10}/, 'HASH'), f.ownership])).toEqual([
      ['users/validators.js', 'generated'],
      ['users/validators.d.ts', 'generated'],
      ['_validators/UserRegistered.HASH.js', 'generated'],
    ]);
  });

  it('writes a payload several services use once, re-exported by each service, named by its contents', async () => {
    const files = await emitFor(
      service('billing', [receive('registered', topicChannel('u'), [withFormats])]),
      service('users', [send('registered', topicChannel('u'), [withFormats])]),
    );
    const shared = moduleOf(files, 'UserRegistered');
    const path = files.find((f) => f.contents === shared)!.path;
    for (const name of ['billing', 'users']) {
      expect(files.find((f) => f.path === `${name}/validators.js`)?.contents).toBe(
        `// Payload of user.registered (UserRegistered)\nexport { validateUserRegistered } from '../${path}';\n`,
      );
    }
    // Another schema under the same name is another module.
    const stricter = message('user.registered', {
      type: 'object',
      required: ['email'],
      additionalProperties: false,
    });
    const apart = await emitFor(
      service('billing', [receive('registered', topicChannel('u'), [stricter])]),
      service('users', [send('registered', topicChannel('u'), [withFormats])]),
    );
    expect(apart.filter((f) => f.path.startsWith('_validators/UserRegistered.'))).toHaveLength(2);
  });

  it('emits ES module code: runtime helpers are loaded once per module with createRequire from eventwire, by explicit .js paths', async () => {
    const code = moduleOf(
      await emitFor(service('users', [send('registered', topicChannel('u'), [withFormats])])),
      'UserRegistered',
    );
    // ajv's own require() calls are all replaced; the only require is the module's createRequire one, from
    // eventwire's package: the project's own ajv (often an ajv 6) is never the one the validators load.
    expect(code).not.toMatch(/(?<![$\w])require\(/);
    expect(code).not.toContain('use strict');
    expect(code).toMatch(
      /^import \{ createRequire \} from 'node:module';\n\nconst runtime\$require = createRequire\(import\.meta\.resolve\('eventwire\/package\.json'\)\);$/m,
    );
    expect(code).toContain("const runtime$formats = runtime$require('ajv-formats/dist/formats.js');");
    expect(code).toContain("const runtime$ucs2length = runtime$require('ajv/dist/runtime/ucs2length.js');");
    expect(code).toContain("const runtime$equal = runtime$require('ajv/dist/runtime/equal.js');");
    expect(code).toMatch(/^export const validateUserRegistered = \(\(\) => \{$/m);
  });

  it('declares each validator as CompiledValidator of its payload type', async () => {
    const other = message('user.deleted', { type: 'object' });
    const [, dts] = await emitFor(
      service('users', [send('registered', topicChannel('u'), [withFormats, other])]),
    );
    expect(dts!.contents).toBe(
      [
        "import type { CompiledValidator } from 'eventwire/runtime';",
        "import type { UserDeleted, UserRegistered } from './types.ts';",
        '',
        '/**',
        ' * Checks a `user.deleted` payload against its contract schema; on failure `errors` lists every',
        ' * problem.',
        ' */',
        'export declare const validateUserDeleted: CompiledValidator<UserDeleted>;',
        '/**',
        ' * Checks a `user.registered` payload against its contract schema; on failure `errors` lists every',
        ' * problem.',
        ' */',
        'export declare const validateUserRegistered: CompiledValidator<UserRegistered>;',
        '',
      ].join('\n'),
    );
  });

  it('wraps each validator in its own scope so numbered ajv names never clash', async () => {
    const other = message('user.deleted', {
      type: 'object',
      properties: { id: { type: 'string', maxLength: 3 } },
    });
    const files = await emitFor(
      service('users', [send('registered', topicChannel('u'), [withFormats, other])]),
    );
    const code = moduleOf(files, 'UserDeleted');
    expect(code).toMatch(
      /^\/\/ Payload of user\.deleted \(UserDeleted\)\nexport const validateUserDeleted = \(\(\) => \{\n/m,
    );
    expect(code).toMatch(/^return validate\d+;\n\}\)\(\);$/m);
    // Each helper module is loaded once per file, not once per use.
    expect(
      moduleOf(files, 'UserRegistered').match(/^const runtime\$\w+ = runtime\$require\(/gm),
    ).toHaveLength(3);
  });

  it("keeps one service's output independent of the others (numbering is per file)", async () => {
    const alone = await emitFor(service('users', [send('registered', topicChannel('u'), [withFormats])]));
    const big = message('big', { type: 'object', properties: { a: { type: 'string', pattern: '^a' } } });
    const together = await emitFor(
      service('aaa', [send('big', topicChannel('b'), [big])]),
      service('users', [send('registered', topicChannel('u'), [withFormats])]),
    );
    const users = together.find((f) => f.path === 'users/validators.js');
    expect(users?.contents).toBe(alone[0]!.contents);
  });

  it('compiles recursive payloads', async () => {
    const node: Record<string, unknown> = { type: 'object' };
    node.properties = { next: node };
    const files = await emitFor(service('s', [receive('take', topicChannel('t'), [message('list', node)])]));
    expect(moduleOf(files, 'List')).toContain('export const validateList');
  });

  it.each<[string, Message, RegExp]>([
    [
      'an invalid payload schema, naming the message and its file',
      message('bad.type', { type: 'object', properties: { a: { type: 'strnig' } } }),
      /bad\.yaml#\/components\/messages\/BadType: the payload schema of "bad\.type" is not valid draft-07 JSON Schema: .*type/,
    ],
    [
      'a $ref the model left unresolved',
      message('bad.ref', { type: 'object', properties: { a: { $ref: './common.yaml#/X' } } }),
      /still contains "\$ref": "\.\/common\.yaml#\/X"/,
    ],
  ])('reports %s', async (_title, bad, expected) => {
    await expect(emitFor(service('s', [send('p', topicChannel('t'), [bad])]))).rejects.toThrow(expected);
  });

  it('compiles draft 2020-12 payloads with the 2020 dialect (prefixItems is enforced)', async () => {
    const tuple = message(
      'tuple',
      { type: 'array', prefixItems: [{ type: 'string' }], items: false },
      { schemaFormat: 'application/schema+json;version=draft-2020-12' },
    );
    const files = await emitFor(service('s', [send('p', topicChannel('t'), [tuple])]));
    expect(moduleOf(files, 'Tuple')).toContain('prefixItems');
  });
});

describe('requireToImports', () => {
  it('names each required module after its path (the same name in every chunk), keeping the property access', () => {
    const code = [
      'const a = require("ajv/dist/runtime/equal").default;',
      'const b = require("ajv/dist/runtime/equal").default;',
      'const f = require("ajv-formats/dist/formats").fullFormats["date-time"];',
      'const o = require("some-lib/x").y;',
      'const s = "require(\\"x\\")";',
    ].join('\n');
    const result = requireToImports(code);
    expect(result.code).toBe(
      [
        'const a = runtime$equal.default;',
        'const b = runtime$equal.default;',
        'const f = runtime$formats.fullFormats["date-time"];',
        'const o = runtime$some_lib_x.y;',
        'const s = "require(\\"x\\")";',
      ].join('\n'),
    );
    expect([...result.imports]).toEqual([
      ['ajv/dist/runtime/equal', 'runtime$equal'],
      ['ajv-formats/dist/formats', 'runtime$formats'],
      ['some-lib/x', 'runtime$some_lib_x'],
    ]);
  });
});
