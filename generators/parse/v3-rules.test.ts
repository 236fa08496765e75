import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnosticLine } from '../diagnostics/format.ts';
import { loadDocuments } from './load.ts';
import { v3RuleFindings } from './v3-rules.ts';

const found = (raw: unknown, resolved: unknown = raw) =>
  v3RuleFindings(raw, resolved).map((f) => `${f.rule} /${f.path.join('/')}`);

const channel = { address: 'orders', messages: { placed: { payload: { type: 'object' } } } };

describe('the parser rules a schema cannot express (each also proven against the parser by verdict-parity.test.ts)', () => {
  it('asyncapi3-operation-messages-from-referred-channel: an operation sends only its channel’s messages', () => {
    const raw = {
      channels: { orders: channel, other: channel },
      operations: {
        good: {
          action: 'send',
          channel: { $ref: '#/channels/orders' },
          messages: [{ $ref: '#/channels/orders/messages/placed' }],
        },
        bad: {
          action: 'send',
          channel: { $ref: '#/channels/orders' },
          messages: [{ $ref: '#/channels/other/messages/placed' }],
        },
      },
      components: {
        operations: {
          alsoBad: {
            action: 'send',
            channel: { $ref: '#/channels/other' },
            messages: [{ $ref: '#/channels/orders/messages/placed' }],
          },
        },
      },
    };
    expect(found(raw, {})).toEqual([
      'asyncapi3-operation-messages-from-referred-channel /operations/bad/messages/0',
      'asyncapi3-operation-messages-from-referred-channel /components/operations/alsoBad/messages/0',
    ]);
  });

  it('asyncapi3-required-operation-channel-unambiguity: a root operation’s channel is a root channel', () => {
    const raw = {
      operations: {
        good: { action: 'send', channel: { $ref: '#/channels/orders' } },
        bad: { action: 'send', channel: { $ref: '#/components/channels/orders' } },
        elsewhere: { action: 'send', channel: { $ref: 'common.yaml#/channels/orders' } },
      },
    };
    expect(found(raw, {})).toEqual([
      'asyncapi3-required-operation-channel-unambiguity /operations/bad/channel/$ref',
    ]);
  });

  it('asyncapi3-required-channel-servers-unambiguity: a root channel’s servers are root servers', () => {
    const raw = {
      channels: {
        good: { servers: [{ $ref: '#/servers/prod' }] },
        bad: { servers: [{ $ref: '#/servers/prod' }, { $ref: '#/components/servers/dev' }] },
      },
    };
    expect(found(raw, {})).toEqual([
      'asyncapi3-required-channel-servers-unambiguity /channels/bad/servers/1/$ref',
    ]);
  });

  it('asyncapi3-channel-servers: servers named in a channel exist (only where channels name them)', () => {
    const resolved = { servers: { prod: {} }, channels: { orders: { servers: ['prod', 'staging'] } } };
    expect(found({}, resolved)).toEqual(['asyncapi3-channel-servers /channels/orders/servers/1']);
    // Resolved server objects, as valid documents have them: the parser's rule skips its input.
    expect(found({}, { servers: { prod: {} }, channels: { orders: { servers: [{ host: 'x' }] } } })).toEqual(
      [],
    );
  });

  it('asyncapi3-channel-no-query-nor-fragment: a channel name has no "?" or "#"', () => {
    const resolved = { channels: { 'orders?x=1': channel, 'orders#frag': channel, orders: channel } };
    expect(found({}, resolved)).toEqual([
      'asyncapi3-channel-no-query-nor-fragment /channels/orders?x=1',
      'asyncapi3-channel-no-query-nor-fragment /channels/orders#frag',
    ]);
  });

  it('asyncapi3-channel-parameters: address variables and parameters match, both ways', () => {
    const resolved = {
      channels: {
        good: { address: 'orders.{region}', parameters: { region: {} } },
        undeclared: { address: 'orders.{region}.{shop}', parameters: { region: {} } },
        unused: { address: 'orders.{region}', parameters: { region: {}, shop: {} } },
        noAddress: { address: null, parameters: { region: {} } },
      },
      components: { channels: { empty: { address: 'orders.{region}', parameters: {} } } },
    };
    expect(found({}, resolved)).toEqual([
      'asyncapi3-channel-parameters /channels/undeclared/parameters',
      'asyncapi3-channel-parameters /channels/unused/parameters/shop',
      'asyncapi3-channel-parameters /channels/noAddress/parameters/region',
      'asyncapi3-channel-parameters /components/channels/empty/parameters',
    ]);
  });
});

describe('the same checks through the loader (errors with file, line, pointer and hint)', () => {
  let root: string;
  const document = (body: string) => `asyncapi: 3.0.0\ninfo:\n  title: T\n  version: "1"\n${body}`;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'eventwire-v3-rules-'));
    await writeFile(
      path.join(root, 'parameters.yaml'),
      document('channels:\n  orders:\n    address: orders.{region}\n    parameters:\n      shop: {}\n'),
    );
    await writeFile(
      path.join(root, 'duplicate-operation.yaml'),
      document(
        'channels:\n  orders:\n    address: orders\noperations:\n  send:\n    action: send\n    channel:\n      $ref: "#/channels/orders"\n  send:\n    action: receive\n    channel:\n      $ref: "#/channels/orders"\n',
      ),
    );
    await writeFile(
      path.join(root, 'unresolved.yaml'),
      document('channels:\n  orders:\n    $ref: "#/components/channels/missing"\n'),
    );
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const errors = async (file: string) =>
    (await loadDocuments([path.join(root, file)], { root, cacheDir: false })).errors.map(
      formatDiagnosticLine,
    );

  it('reports channel parameters at the parser’s places', async () => {
    expect(await errors('parameters.yaml')).toEqual([
      'parameters.yaml:8:5 /channels/orders/parameters — Not all channel\'s parameters are described with "parameters" object. Missed: region. (declare "region" under the channel\'s "parameters")',
      'parameters.yaml:9:7 /channels/orders/parameters/shop — Channel\'s "parameters" object has redundant defined "shop" parameter. (use it in the address as "{shop}", or remove it)',
    ]);
  });

  it('refuses a duplicate operation id (a duplicate key) and an unresolved reference before validation', async () => {
    expect(await errors('duplicate-operation.yaml')).toEqual([
      expect.stringMatching(/^duplicate-operation\.yaml:13:3 .*duplicate/i),
    ]);
    expect(await errors('unresolved.yaml')).toEqual([
      expect.stringMatching(
        /^unresolved\.yaml:7:5 \/channels\/orders\/\$ref — cannot resolve \$ref "#\/components\/channels\/missing"/,
      ),
    ]);
  });
});
