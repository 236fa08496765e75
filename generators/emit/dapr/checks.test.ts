import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import {
  DAPR_RETRY,
  delivery,
  model as contractModel,
  modelWithChannels,
  receive,
  send,
  server,
  service,
  topicChannel,
} from '../test-support/model-builders.ts';
import { emitDapr } from './__fixtures__/emit.ts';
import { channels, platformModel, fixtureMessage, FIXTURE_DOCUMENT } from './__fixtures__/platform.ts';
import { checkDeadLetters, checkRoutesHaveHandlers, daprModelFindings } from './checks.ts';

const redis = server('dapr-redis', { name: 'pubsub' });
const codes = (findings: readonly { code: string }[]) => findings.map((f) => f.code);

describe('Dapr semantic checks', async () => {
  const model = platformModel();
  const files = [...(await emitDapr(model)).values()];

  it('finds nothing wrong with a consistent platform', () => {
    expect(daprModelFindings(model)).toEqual([]);
    expect(checkRoutesHaveHandlers(model, files)).toEqual([]);
  });

  it('reports a route without a handler, a rule for a message the handler does not take, and an unscoped subscription', () => {
    const file = files.find((f) => f.path === 'notification/dapr/subscription.yaml');
    if (!file) throw new Error('fixture writes notification subscriptions');
    const [email, orders] = parseAllDocuments(file.contents).map((d) => d.toJS());
    orders.spec.routes.rules[0].path = '/events/order-cancelled';
    orders.spec.routes.rules[1].match = 'event.type == "orders.order.created"';
    email.scopes = [];
    const edited = { path: file.path, contents: [email, orders].map((d) => stringify(d)).join('---\n') };
    const findings = checkRoutesHaveHandlers(model, [edited]);
    expect(findings.map((f) => [f.code, f.file, f.pointer])).toEqual([
      ['dapr-subscription-unscoped', file.path, '/0/scopes'],
      ['dapr-route-without-handler', file.path, '/1/spec/routes/rules/0'],
      ['dapr-rule-event-type', file.path, '/1/spec/routes/rules/1'],
    ]);
    expect(findings[1]?.message).toContain("route '/events/order-cancelled' of app 'notification-worker'");
  });

  it('reports a subscription for an app whose contract does not receive that topic', () => {
    const stray = stringify({
      apiVersion: 'dapr.io/v2alpha1',
      kind: 'Subscription',
      metadata: { name: 'stray' },
      spec: {
        pubsubname: 'pubsub',
        topic: 'catalog.product.created',
        routes: { default: '/events/product-created' },
      },
      scopes: ['warehouse-worker'],
    });
    expect(codes(checkRoutesHaveHandlers(model, [{ path: 'x.yaml', contents: stray }]))).toEqual([
      'dapr-route-without-handler',
    ]);
  });

  it('reports a dead-letter topic no contract declares', () => {
    const m = contractModel(
      service(
        's',
        [
          receive('on-product-created', channels.created, channels.created.messages, {
            delivery: delivery('product-created', { retry: DAPR_RETRY }),
          }),
        ],
        { layout: 'asyncapi', title: 's', servers: [redis] },
      ),
    );
    const findings = checkDeadLetters(m);
    expect(codes(findings)).toEqual(['dapr-dead-letter-undeclared']);
    expect(findings[0]?.message).toContain("dead-letter topic 'dlq.product-created' of 'on-product-created'");
  });

  it('reports a declared dead-letter topic nobody reads, and accepts a monitor reading it', () => {
    const dlq = topicChannel('dlq.product-created', {
      messages: [fixtureMessage('dead.letter.x')],
      file: FIXTURE_DOCUMENT,
    });
    const consumer = receive('on-product-created', channels.created, channels.created.messages, {
      delivery: delivery('product-created', { retry: DAPR_RETRY }),
    });
    const unread = modelWithChannels(
      [service('s', [consumer], { layout: 'asyncapi', title: 's', servers: [redis] })],
      [dlq],
    );
    expect(codes(checkDeadLetters(unread))).toEqual(['dapr-dead-letter-unread']);
    const monitored = contractModel(
      service('s', [consumer], { layout: 'asyncapi', title: 's', servers: [redis] }),
      service(
        'ops',
        [
          receive('on-dlq-monitor', dlq, dlq.messages, {
            delivery: delivery('dlq-monitor', {
              retry: DAPR_RETRY,
              deadLetter: { address: 'dlq.product-created' },
            }),
          }),
        ],
        { layout: 'asyncapi', title: 'ops', servers: [redis] },
      ),
    );
    expect(checkDeadLetters(monitored)).toEqual([]);
  });

  it('matches dead letters on the pub/sub they are published on', () => {
    const elsewhere = topicChannel(
      'dlq.product-created',
      { messages: [fixtureMessage('dead.letter.x')], file: FIXTURE_DOCUMENT },
      'other',
    );
    const m = contractModel(
      service(
        's',
        [
          receive('on-product-created', channels.created, channels.created.messages, {
            delivery: delivery('product-created', { retry: DAPR_RETRY }),
          }),
          send(`publish-${elsewhere.address}`, elsewhere),
        ],
        { layout: 'asyncapi', title: 's', servers: [redis] },
      ),
    );
    expect(codes(checkDeadLetters(m))).toEqual(['dapr-dead-letter-undeclared']);
  });

  it('collects the findings of every Dapr emitter', () => {
    const tenantEvent = fixtureMessage('t.e.x');
    const m = contractModel(
      service(
        's',
        [
          receive(
            'on-tenant',
            topicChannel('tenant.{id}.events', { messages: [tenantEvent], file: FIXTURE_DOCUMENT }),
            [tenantEvent],
            { delivery: delivery('tenant', { retry: DAPR_RETRY }) },
          ),
        ],
        { layout: 'asyncapi', title: 's', servers: [redis] },
      ),
    );
    expect(codes(daprModelFindings(m))).toEqual(['dapr-topic-parameter']);
  });
});
