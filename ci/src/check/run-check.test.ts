import { describe, expect, it } from 'vitest';
import { type CheckConfig, emptyConfig, parseConfig } from '../config/config.ts';
import {
  amqp,
  delivery,
  message,
  model,
  objectSchema,
  receive,
  send,
  service,
  topic,
} from '../test-support/model-fixtures.ts';
import { type Diagnostic, ruleOf } from '../../../generators/diagnostics/diagnostic.ts';
import { runCheck } from './run-check.ts';

const cwd = '/project';
const product = message(
  'catalog.product.created',
  objectSchema({ product_id: { type: 'string' }, name: { type: 'string' } }, ['product_id']),
);

function check(m: ReturnType<typeof model>, config: CheckConfig = emptyConfig(cwd)): Diagnostic[] {
  return runCheck(m, config, { cwd });
}

function rules(findings: readonly Diagnostic[]): string[] {
  return findings.map((f) => f.code).sort();
}

function config(check: unknown): CheckConfig {
  const r = parseConfig({ check }, `${cwd}/eventwire.config.json`, 'eventwire.config.json');
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

describe('topology/unmatched-subscription', () => {
  it('suggests the published address a subscriber probably meant', () => {
    const m = model([
      service('catalog', [send('publishCreated', topic('catalog.product.created', [product]))]),
      service('search', [receive('onCreated', topic('product.created', [product]))]),
    ]);
    const findings = check(m).filter((f) => f.code === 'topology/unmatched-subscription');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      file: 'asyncapi/search.yaml',
      pointer: '/operations/onCreated',
      severity: 'error',
      address: 'product.created',
    });
    expect(findings[0]?.hint).toContain('`catalog.product.created`');
  });

  it("for another event of the same entity, lists that entity's events instead of the one spelled most alike", () => {
    const m = model([
      service('order', [
        send('created', topic('orders.order.created', [product])),
        send('paid', topic('orders.order.paid', [product])),
        send('craeted', topic('orders.payment.captured', [product])),
      ]),
      service('invoicing', [
        receive('onPlaced', topic('orders.order.placed', [product])),
        receive('onTypo', topic('orders.order.craeted', [product])),
      ]),
    ]);
    const unmatched = check(m).filter((f) => f.code === 'topology/unmatched-subscription');
    const hint = (address: string) => unmatched.find((f) => f.address === address)?.hint;
    expect(hint('orders.order.placed')).toBe(
      'nothing sends `orders.order.placed`; the events sent for `orders.order` are `created`, `paid`: subscribe to the one you mean',
    );
    expect(hint('orders.order.craeted')).toBe('did you mean `orders.order.created` (sent by order)?');
  });

  it('matches parameters by position whatever their names, and a parameter against a literal', () => {
    const m = model([
      service('user', [send('publish', topic('user.{id}.updated', [product]))]),
      service('audit', [
        receive('byTemplate', topic('user.{userId}.updated', [product])),
        receive('byLiteral', topic('user.42.updated', [product])),
        receive('other', topic('user.{id}.deleted', [product])),
      ]),
    ]);
    const unmatched = check(m).filter((f) => f.code === 'topology/unmatched-subscription');
    expect(unmatched.map((f) => f.pointer)).toEqual(['/operations/other']);
  });

  it('honours a parameter enum when matching literals', () => {
    const params = [{ name: 'region', enum: ['eu', 'us'] }];
    const m = model([
      service('a', [send('publish', topic('orders.{region}.created', [product], { parameters: params }))]),
      service('b', [
        receive('eu', topic('orders.eu.created', [product])),
        receive('apac', topic('orders.apac.created', [product])),
      ]),
    ]);
    expect(
      check(m)
        .filter((f) => f.code === 'topology/unmatched-subscription')
        .map((f) => f.pointer),
    ).toEqual(['/operations/apac']);
  });

  it('requires the same pub/sub component, and says where the address is published', () => {
    const m = model([
      service('catalog', [
        send('publish', topic('catalog.product.created', [product], { pubsub: 'pubsub-a' })),
      ]),
      service('search', [receive('on', topic('catalog.product.created', [product], { pubsub: 'pubsub-b' }))]),
    ]);
    const f = check(m).find((x) => x.code === 'topology/unmatched-subscription');
    expect(f?.hint).toContain('pubsub "pubsub-a"');
  });

  it('AMQP topic bindings: * is one word, # zero or more, same exchange and vhost only', () => {
    const email = message('identity.email.verification_requested', { type: 'object' });
    const m = model([
      service('identity', [
        send('verify', amqp('email.verification.requested', [email])),
        send('welcome', amqp('email.welcome', [email])),
      ]),
      service('mailer', [
        receive('all', amqp('email.#', [email])),
        receive('oneWord', amqp('email.*', [email])),
        receive('exact', amqp('email.welcome', [email])),
        receive('zeroWords', amqp('email.welcome.#', [email])),
        receive('tooDeep', amqp('email.*.*.*', [email])),
        receive('otherExchange', amqp('email.#', [email], { name: 'other.events' })),
        receive('otherVhost', amqp('email.#', [email], { vhost: 'other' })),
      ]),
    ]);
    const unmatched = check(m).filter((f) => f.code === 'topology/unmatched-subscription');
    expect(unmatched.map((f) => f.pointer).sort()).toEqual([
      '/operations/otherExchange',
      '/operations/otherVhost',
      '/operations/tooDeep',
    ]);
    expect(unmatched.find((f) => f.pointer === '/operations/tooDeep')?.hint).toContain('`email.welcome`');
  });

  it('fanout exchanges deliver every routing key; direct exchanges need the exact key', () => {
    const msg = message('a.b.c', { type: 'object' });
    const m = model([
      service('p', [
        send('fan', amqp('a.b.c', [msg], { name: 'legacy', type: 'fanout' })),
        send('direct', amqp('a.b.c', [msg], { name: 'jobs', type: 'direct' })),
      ]),
      service('s', [
        receive('fan', amqp('', [msg], { name: 'legacy', type: 'fanout' })),
        receive('directOk', amqp('a.b.c', [msg], { name: 'jobs', type: 'direct' })),
        receive('directWildcard', amqp('a.#', [msg], { name: 'jobs', type: 'direct' })),
      ]),
    ]);
    const unmatched = check(m).filter((f) => f.code === 'topology/unmatched-subscription');
    expect(unmatched.map((f) => f.pointer)).toEqual(['/operations/directWildcard']);
  });

  it('dual publishing to a legacy fanout exchange reaches its consumers', () => {
    const msg = message('identity.email.welcome', { type: 'object' });
    const dualPublish = {
      exchange: 'smtp_send_email_exc',
      type: 'fanout' as const,
      envSwitch: 'ENABLE_DUAL_PUBLISH',
      defaultOn: true,
    };
    const m = model([
      service('identity', [send('welcome', amqp('email.welcome', [msg]), { dualPublish })]),
      service('legacy', [receive('old', amqp('', [msg], { name: 'smtp_send_email_exc', type: 'fanout' }))]),
    ]);
    expect(rules(check(m)).filter((r) => r.startsWith('topology/'))).toEqual([]);
  });
});

describe('topology/unconsumed-publication', () => {
  it('warns about a message nobody receives and points at the look-alike subscription', () => {
    const m = model([
      service('catalog', [send('publishCreated', topic('catalog.product.created', [product]))]),
      service('search', [receive('onCreated', topic('product.created', [product]))]),
    ]);
    const f = check(m).find((x) => x.code === 'topology/unconsumed-publication');
    expect(f).toMatchObject({
      severity: 'warning',
      file: 'asyncapi/catalog.yaml',
      pointer: '/operations/publishCreated',
    });
    expect(f?.hint).toContain('search receives `product.created`');
  });
});

describe('topology/exchange-conflict', () => {
  it('reports an exchange declared with another type elsewhere', () => {
    const msg = message('a.b.c', { type: 'object' });
    const m = model([
      service('p', [send('s', amqp('a.b.c', [msg]))]),
      service('q', [receive('r', amqp('a.b.c', [msg], { type: 'direct' }, { file: 'asyncapi/q.yaml' }))]),
    ]);
    expect(check(m).filter((f) => f.code === 'topology/exchange-conflict')).toHaveLength(1);
  });
});

describe('topology/payload-mismatch', () => {
  const publisher = message(
    'order.order.created',
    objectSchema({ order_id: { type: 'string' }, status: { enum: ['new', 'paid', 'refunded'] } }, [
      'order_id',
    ]),
    {
      source: { file: 'asyncapi/order.yaml', pointer: '/components/messages/OrderCreated' },
    },
  );
  const pair = (subscriberPayload: unknown) => {
    const own = message('order.order.created', subscriberPayload as never, {
      source: { file: 'asyncapi/billing.yaml', pointer: '/components/messages/OrderCreated' },
    });
    return model([
      service('order', [send('publish', topic('order.order.created', [publisher]))]),
      service('billing', [receive('onCreated', topic('order.order.created', [own]))]),
    ]);
  };

  it('a shared definition never mismatches', () => {
    const m = model([
      service('order', [send('publish', topic('order.order.created', [publisher]))]),
      service('billing', [receive('onCreated', topic('order.order.created', [publisher]))]),
    ]);
    expect(rules(check(m))).toEqual([]);
  });

  it('a required field the publisher does not guarantee', () => {
    const findings = check(
      pair(
        objectSchema({ order_id: { type: 'string' }, status: { enum: ['new', 'paid', 'refunded'] } }, [
          'order_id',
          'status',
        ]),
      ),
    );
    const f = findings.find((x) => x.code === 'topology/payload-mismatch');
    expect(f?.message).toContain('publisher order does not require `status`; subscriber billing requires it');
    expect(f?.file).toBe('asyncapi/billing.yaml');
    expect(f?.hint).toContain("$ref: './order.yaml#/components/messages/OrderCreated'");
  });

  it('an enum value the subscriber lacks, a type conflict, a closed schema', () => {
    expect(
      check(
        pair(objectSchema({ order_id: { type: 'string' }, status: { enum: ['new', 'paid'] } }, ['order_id'])),
      )[0]?.message,
    ).toContain('"refunded"');
    expect(check(pair(objectSchema({ order_id: { type: 'integer' } }, ['order_id'])))[0]?.message).toContain(
      '`order_id`',
    );
    const closed = objectSchema({ order_id: { type: 'string' } }, ['order_id'], {
      additionalProperties: false,
    });
    expect(check(pair(closed))[0]?.message).toContain('`status`');
  });

  it('a subscriber that accepts more is fine', () => {
    expect(
      rules(check(pair({ type: 'object', properties: { order_id: { type: ['string', 'integer'] } } }))),
    ).toEqual([]);
  });

  it('undecidable comparisons are their own rule', () => {
    const pubPattern = message(
      'x.y.z',
      { type: 'string', pattern: '^a' },
      { source: { file: 'asyncapi/p.yaml', pointer: '/m' } },
    );
    const subPattern = message(
      'x.y.z',
      { type: 'string', pattern: '^b' },
      { source: { file: 'asyncapi/s.yaml', pointer: '/m' } },
    );
    const m = model([
      service('p', [send('s', topic('x.y.z', [pubPattern]))]),
      service('s', [receive('r', topic('x.y.z', [subPattern]))]),
    ]);
    expect(rules(check(m))).toEqual(['topology/payload-undecidable']);
  });

  it('content types must agree', () => {
    const xml = message('order.order.created', publisher.payload, {
      contentType: 'application/xml',
      source: { file: 'asyncapi/billing.yaml', pointer: '/m' },
    });
    const m = model([
      service('order', [send('publish', topic('order.order.created', [publisher]))]),
      service('billing', [receive('r', topic('order.order.created', [xml]))]),
    ]);
    expect(check(m)[0]?.message).toContain('application/xml');
  });

  it('a message the subscriber does not declare is unhandled', () => {
    const other = message('order.order.cancelled', { type: 'object' });
    const ch = topic('order.order.events', [publisher, other]);
    const m = model([
      service('order', [send('publish', ch)]),
      service('billing', [receive('r', topic('order.order.events', [publisher]))]),
    ]);
    expect(rules(check(m))).toEqual(['topology/unhandled-message']);
  });
});

describe('lint rules', () => {
  it('lint/naming: domain.entity.action with snake-case segments, AMQP wildcards, configurable count', () => {
    const msg = message('a.b.c', { type: 'object' });
    const m = model([
      service('catalog', [
        send('ok', topic('catalog.product.created', [msg])),
        send('short', topic('product.created', [msg])),
        send('camel', topic('catalog.productCreated.now', [msg])),
        send('param', topic('user.{userId}.updated', [msg])),
      ]),
      service('mailer', [
        receive('pattern', amqp('email.#', [msg])),
        receive('hash', amqp('email.*.sent', [msg])),
        // A queue of the default exchange is named like a queue, not like an event.
        send('work', amqp('rpc_queue', [msg], { name: '', type: 'direct' })),
      ]),
    ]);
    const naming = check(m).filter((f) => f.code === 'lint/naming');
    expect(naming.map((f) => f.address).sort()).toEqual(['catalog.productCreated.now', 'product.created']);
    expect(naming.find((f) => f.address === 'product.created')?.hint).toBe(
      'rename it to `catalog.product.created`',
    );
    expect(naming.find((f) => f.address === 'catalog.productCreated.now')?.hint).toBe(
      'rename it to `catalog.product_created.now`',
    );
    const relaxed = check(
      m,
      config({ rules: { 'lint/naming': { severity: 'warning', options: { minSegments: 2 } } } }),
    ).filter((f) => f.code === 'lint/naming');
    expect(relaxed.map((f) => [f.address, f.severity])).toEqual([['catalog.productCreated.now', 'warning']]);
  });

  it('lint/naming on a channel the service only receives agrees with the topology advice', () => {
    const m = model([
      service('order', [send('created', topic('orders.order.created', [product]))]),
      service('invoicing', [receive('onCreated', topic('order.created', [product]))]),
    ]);
    const findings = check(m);
    const naming = findings.find((f) => f.code === 'lint/naming');
    const topology = findings.find((f) => f.code === 'topology/unmatched-subscription');
    expect(topology?.hint).toContain('`orders.order.created`');
    // Not `invoicing.order.created`: the receiver's dead-letter publishing does not make it the channel's owner.
    expect(naming?.hint).toBe(
      'subscribe to the published `orders.order.created` (see topology/unmatched-subscription)',
    );
  });

  it('lint/missing-dead-letter and lint/missing-retry-policy', () => {
    const m = model([
      service('p', [send('s', topic('a.b.c', [product]))]),
      service('q', [
        receive('ok', topic('a.b.c', [product])),
        receive('bare', topic('a.b.c', [product]), {
          delivery: delivery('bare', { retry: false, deadLetter: false }),
        }),
      ]),
    ]);
    const findings = check(m).filter((f) => f.code.startsWith('lint/missing'));
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([
      ['lint/missing-dead-letter', '/operations/bare'],
      ['lint/missing-retry-policy', '/operations/bare'],
    ]);
    expect(findings[0]?.hint).toContain('dlq.bare');
  });

  it('lint/invalid-example validates every example against its payload, also through recursive schemas', () => {
    const node: Record<string, unknown> = {
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
    };
    (node.properties as Record<string, unknown>).children = { type: 'array', items: node };
    const msg = message('a.b.c', node, {
      examples: [
        {
          name: 'good',
          payload: { name: 'root', children: [{ name: 'leaf', children: [] }] },
          source: { file: 'asyncapi/p.yaml', pointer: '/ex/0' },
        },
        {
          name: 'bad',
          payload: { name: 'root', children: [{ children: [] }] },
          source: { file: 'asyncapi/p.yaml', pointer: '/ex/1' },
        },
      ],
    });
    const m = model([
      service('p', [send('s', topic('a.b.c', [msg]))]),
      service('q', [receive('r', topic('a.b.c', [msg]))]),
    ]);
    const findings = check(m).filter((f) => f.code === 'lint/invalid-example');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ pointer: '/ex/1' });
    expect(findings[0]?.message).toContain("/children/0 must have required property 'name'");
  });

  it('model diagnostics are findings: lint/invalid-extension under its rule default, others as model/<code>', () => {
    const m = model(
      [
        service('p', [send('s', topic('a.b.c', [product]))]),
        service('q', [receive('r', topic('a.b.c', [product]))]),
      ],
      [
        {
          stage: 'model',
          severity: 'error',
          code: 'lint/invalid-extension',
          message: 'x-eventwire-retry.maxRetries must be <= 100',
          file: 'asyncapi/q.yaml',
          pointer: '/operations/r/x-eventwire-retry',
        },
        {
          stage: 'model',
          severity: 'warning',
          code: 'unused-component',
          message: 'unused',
          file: 'asyncapi/q.yaml',
          pointer: '/components',
        },
      ],
    );
    const findings = check(m);
    expect(findings.map((f) => [ruleOf(f), f.severity])).toEqual([
      ['model/unused-component', 'warning'],
      ['lint/invalid-extension', 'error'],
    ]);
  });
});

describe('configuration', () => {
  const m = model([
    service('catalog', [send('publishCreated', topic('catalog.product.created', [product]))]),
    service('search', [receive('onCreated', topic('product.created', [product]))]),
  ]);

  it('severity overrides and off', () => {
    const findings = check(
      m,
      config({ rules: { 'topology/unmatched-subscription': 'warning', 'lint/naming': 'off' } }),
    );
    expect(findings.map((f) => [f.code, f.severity])).toEqual([
      ['topology/unconsumed-publication', 'warning'],
      ['topology/unmatched-subscription', 'warning'],
    ]);
  });

  it('ignore entries need a reason; unused ones are reported', () => {
    const findings = check(
      m,
      config({
        rules: { 'lint/naming': 'off' },
        ignore: [
          {
            rule: 'topology/unconsumed-publication',
            file: 'asyncapi/catalog.yaml',
            reason: 'search reads it through the legacy topic until Q3',
          },
          { rule: 'topology/unmatched-subscription', address: 'product.*' },
          { rule: 'lint/missing-*', file: 'asyncapi/*.yaml', reason: 'nothing to hide' },
        ],
      }),
    );
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([
      ['topology/unmatched-subscription', '/operations/onCreated'],
      ['config/ignore-without-reason', '/check/ignore/1'],
      ['config/unused-ignore', '/check/ignore/2'],
    ]);
    expect(findings[1]?.file).toBe('eventwire.config.json');
  });

  it('unknown rule ids and bad severities are configuration errors', () => {
    expect(
      parseConfig({ check: { rules: { 'lint/nameing': 'error' } } }, '/p/c.json', 'c.json'),
    ).toMatchObject({ ok: false });
    expect(
      parseConfig({ check: { rules: { 'lint/naming': 'fatal' } } }, '/p/c.json', 'c.json'),
    ).toMatchObject({ ok: false });
    expect(parseConfig({ check: { ignore: [{ reason: 'x' }] } }, '/p/c.json', 'c.json')).toMatchObject({
      ok: false,
    });
  });
});
