/**
 * The broker tests run on a hand-built identity model (so each test can name its own vhost; it adds an analytics
 * subscriber to prove routing to several queues). This proves its identity part is exactly what
 * asyncapi/identity.yaml says: same publications, subscriptions, queues, retry ladder, dead letters and dual
 * publishing, so what the broker tests prove holds for the real contract.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { topologyFromSpecs } from '../../../../runtime/transports/rabbitmq/index.ts';
import { loadModel } from '../../../model/index.ts';
import { amqpSpecsFromModel } from '../specs.ts';
import { identityModel } from './identity.fixture.ts';

const contract = path.resolve(import.meta.dirname, '../../../../asyncapi/identity.yaml');

describe('the identity fixture of the broker tests', () => {
  it('has the topology of asyncapi/identity.yaml', async () => {
    const { model, errors } = await loadModel([contract]);
    expect(errors).toEqual([]);
    const real = amqpSpecsFromModel(model);
    const first = real.publications[0]?.destination;
    const vhost = (first?.kind === 'amqp' ? first.vhost : undefined) ?? 'smap';
    const all = amqpSpecsFromModel(identityModel(vhost));
    const fixture = {
      ...all,
      publications: all.publications.filter((p) => p.service === 'identity'),
      subscriptions: all.subscriptions.filter((s) => s.service === 'identity'),
    };
    expect(fixture.subscriptions.length).toBeGreaterThan(0);
    const shape = (specs: typeof real) => ({
      publications: [...specs.publications].sort((a, b) => a.operation.localeCompare(b.operation)),
      subscriptions: [...specs.subscriptions].sort((a, b) => a.operation.localeCompare(b.operation)),
    });
    const topology = (specs: typeof real) => topologyFromSpecs(specs);
    expect(topology(fixture)).toEqual(topology(real));
    expect(shape(fixture).subscriptions.map((s) => [s.name, s.queue, s.retry, s.deadLetter])).toEqual(
      shape(real).subscriptions.map((s) => [s.name, s.queue, s.retry, s.deadLetter]),
    );
    expect(shape(fixture).publications.map((p) => [p.destination, p.dualPublish])).toEqual(
      shape(real).publications.map((p) => [p.destination, p.dualPublish]),
    );
  });
});
