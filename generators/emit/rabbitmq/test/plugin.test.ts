import { describe, expect, it } from 'vitest';
import { topologyFromSpecs } from '../../../../runtime/transports/rabbitmq/index.ts';
import type { ContractModel } from '../../../model/types.ts';
import { definitionsForVhost, retargetDefinitions } from '../definitions.ts';
import { amqpSpecsFromModel, rabbitmqDefinitionsPlugin } from '../index.ts';
import { identityModel } from './identity.fixture.ts';

const context = { outDir: '..' };

async function emit(model: ContractModel) {
  return rabbitmqDefinitionsPlugin.emit(model, context);
}

describe('rabbitmqDefinitionsPlugin', () => {
  it('writes one definitions file per vhost, named after the URL-encoded vhost', async () => {
    const files = await emit(identityModel('/'));
    expect(files.map((f) => f.path)).toEqual(['rabbitmq/%2F/definitions.json']);
    expect(files[0]!.ownership).toBe('generated');
    expect(files[0]!.sources).toEqual(['asyncapi/analytics.yaml', 'asyncapi/identity.yaml']);
  });

  it("holds the identity service's exchanges, quorum queues, retry queues and dead-letter queue", async () => {
    const [file] = await emit(identityModel('identity'));
    const defs = JSON.parse(file!.contents);
    expect(Object.keys(defs).sort()).toEqual(
      ['bindings', 'exchanges', 'policies', 'queues', 'rabbit_version', 'rabbitmq_version', 'vhosts'].sort(),
    );
    expect(defs.vhosts).toEqual([{ name: 'identity' }]);
    expect(defs.exchanges.map((e: { name: string; type: string }) => `${e.name}:${e.type}`)).toEqual([
      'analytics.subscriptions.dlx:direct',
      'analytics.subscriptions.retry:direct',
      'smap.events:topic',
      'smtp_send_email_exc:fanout',
      'smtp_send_email_v2.dlx:direct',
      'smtp_send_email_v2.retry:direct',
    ]);
    const queues = Object.fromEntries(
      defs.queues.map((q: { name: string; arguments: object }) => [q.name, q.arguments]),
    );
    expect(queues.smtp_send_email_v2).toEqual({
      'x-dead-letter-exchange': 'smtp_send_email_v2.dlx',
      'x-dead-letter-routing-key': 'email.errors',
      'x-dead-letter-strategy': 'at-least-once',
      'x-delivery-limit': 10,
      'x-overflow': 'reject-publish',
      'x-queue-type': 'quorum',
    });
    expect(
      ['smtp_send_email_v2.retry.1', 'smtp_send_email_v2.retry.2', 'smtp_send_email_v2.retry.3'].map(
        (name) => queues[name]['x-message-ttl'],
      ),
    ).toEqual([1000, 2000, 4000]);
    expect(queues['email.errors']).toEqual({ 'x-queue-type': 'quorum' });
    expect(defs.bindings).toContainEqual({
      source: 'smap.events',
      vhost: 'identity',
      destination: 'smtp_send_email_v2',
      destination_type: 'queue',
      routing_key: 'email.#',
      arguments: {},
    });
    expect(defs.policies).toEqual([]);
    expect(file!.contents).not.toMatch(/"users"|"permissions"|"password/);
  });

  it('serialises exactly the topology the runtime derives from the same specs', async () => {
    const model = identityModel('identity');
    const [file] = await emit(model);
    expect(JSON.parse(file!.contents)).toEqual(
      definitionsForVhost(topologyFromSpecs(amqpSpecsFromModel(model)), 'identity'),
    );
  });

  it('is byte-identical across runs', async () => {
    const first = await emit(identityModel('identity'));
    const second = await emit(identityModel('identity'));
    expect(second).toEqual(first);
  });

  it('emits nothing for a model without AMQP channels', async () => {
    expect(await emit({ services: [], channels: new Map(), diagnostics: [] })).toEqual([]);
  });

  it('names the contract locations of two operations that disagree on an exchange', async () => {
    const model = identityModel('identity');
    const identity = model.services.find((s) => s.name === 'identity')!;
    const first = identity.operations[0]!;
    const binding = first.channel.binding;
    if (binding.kind !== 'amqp') throw new Error('fixture');
    const clash = {
      ...first,
      id: 'clash',
      channel: {
        ...first.channel,
        binding: { ...binding, exchange: { ...binding.exchange, type: 'direct' as const } },
      },
      source: { file: 'asyncapi/billing.yaml', pointer: '/operations/clash' },
    };
    const broken = { ...model, services: [{ ...identity, operations: [...identity.operations, clash] }] };
    await expect(emit(broken)).rejects.toThrow(
      /asyncapi\/identity.yaml#\/operations\/\w+ and by asyncapi\/billing.yaml#\/operations\/clash: type: "topic" vs "direct"\n/,
    );
  });

  it('retargets definitions to another vhost', () => {
    const defs = definitionsForVhost(
      topologyFromSpecs(amqpSpecsFromModel(identityModel('identity'))),
      'identity',
    );
    const moved = retargetDefinitions(defs, 'staging');
    expect(JSON.stringify(moved)).not.toContain('"identity"');
    expect(moved.queues.length).toBe(defs.queues.length);
  });
});
