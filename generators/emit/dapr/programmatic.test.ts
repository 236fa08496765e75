import { describe, expect, it } from 'vitest';
import { daprSubscriptions } from '../../../runtime/transports/dapr/subscriptions.ts';
import { emitDapr } from './__fixtures__/emit.ts';
import { docs } from './__fixtures__/parse.ts';
import { platformModel } from './__fixtures__/platform.ts';
import { subscriptionSpecs } from './__fixtures__/specs.ts';
import { diffSubscriptions, normaliseDeclarative, normaliseProgrammatic } from './programmatic.ts';

describe('normalised subscription shape', () => {
  it('reads v1 `route`, v2 `routes`, either pubsub spelling, and ignores rule order and empty fields', () => {
    const programmatic = normaliseProgrammatic([
      {
        pubsubName: 'pubsub',
        topic: 't',
        routes: {
          rules: [
            { match: 'event.type == "b"', path: '/b' },
            { match: 'event.type == "a"', path: '/a' },
          ],
        },
        deadLetterTopic: '',
        metadata: {},
      },
      {
        pubsubname: 'pubsub',
        topic: 'a',
        route: '/x',
        bulkSubscribe: { enabled: false, maxMessagesCount: 5 },
      },
    ]);
    expect(programmatic).toEqual([
      { pubsubname: 'pubsub', topic: 'a', routes: { default: '/x', rules: [] }, metadata: {} },
      {
        pubsubname: 'pubsub',
        topic: 't',
        routes: {
          rules: [
            { match: 'event.type == "a"', path: '/a' },
            { match: 'event.type == "b"', path: '/b' },
          ],
        },
        metadata: {},
      },
    ]);
  });

  it('treats one rule per event type and one rule with || of event types as the same routing', () => {
    const joined = normaliseProgrammatic([
      {
        pubsubname: 'p',
        topic: 't',
        routes: { rules: [{ match: 'event.type == "a" || event.type == "b"', path: '/x' }] },
      },
    ]);
    const split = normaliseProgrammatic([
      {
        pubsubname: 'p',
        topic: 't',
        routes: {
          rules: [
            { match: 'event.type == "b"', path: '/x' },
            { match: 'event.type == "a"', path: '/x' },
          ],
        },
      },
    ]);
    expect(diffSubscriptions(split, joined)).toEqual([]);
    const other = normaliseProgrammatic([
      {
        pubsubname: 'p',
        topic: 't',
        routes: { rules: [{ match: 'event.data.x == 1 || true', path: '/x' }] },
      },
    ]);
    expect(other[0]?.routes.rules).toEqual([{ match: 'event.data.x == 1 || true', path: '/x' }]);
  });

  it('keeps only the declarative subscriptions that apply to the app', () => {
    const spec = { pubsubname: 'p', topic: 't', routes: { default: '/t' } };
    const resources = [
      { kind: 'Subscription', spec, scopes: ['a'] },
      { kind: 'Subscription', spec: { ...spec, topic: 'u' }, scopes: ['b'] },
      { kind: 'Component', spec },
    ];
    expect(normaliseDeclarative(resources, 'a').map((s) => s.topic)).toEqual(['t']);
  });

  it('lists every difference between the two sides', () => {
    const one = normaliseProgrammatic([
      { pubsubname: 'p', topic: 't', routes: { default: '/t' }, deadLetterTopic: 'dlq.t' },
    ]);
    const other = normaliseProgrammatic([
      { pubsubname: 'p', topic: 't', routes: { default: '/t' } },
      { pubsubname: 'p', topic: 'u', routes: { default: '/u' } },
    ]);
    expect(diffSubscriptions(one, other)).toEqual([
      'p/t: deadLetterTopic is "dlq.t" in subscription.yaml but undefined in GET /dapr/subscribe',
      'p/u: returned by GET /dapr/subscribe but not declared in subscription.yaml',
    ]);
    expect(diffSubscriptions(one, one)).toEqual([]);
  });
});

describe('declarative subscriptions equal the runtime GET /dapr/subscribe answer', async () => {
  const model = platformModel();
  const files = await emitDapr(model);

  for (const service of model.services) {
    const file = files.get(`${service.name}/dapr/subscription.yaml`);
    if (!file) continue;
    it(`${service.name}: same topics, routes, dead letters, bulk settings and metadata`, () => {
      const declarative = normaliseDeclarative(docs(file.contents), service.appId);
      const programmatic = normaliseProgrammatic(daprSubscriptions(subscriptionSpecs(service)));
      expect(diffSubscriptions(declarative, programmatic)).toEqual([]);
      expect(declarative.length).toBeGreaterThan(0);
    });
  }
});
