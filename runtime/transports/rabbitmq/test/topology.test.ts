import { describe, expect, it } from 'vitest';
import type { RetrySpec, SubscriptionSpec } from '../../../spec.ts';
import { chooseRetryLevel, levelForRetry, retryDelays, retryLevels } from '../retry-plan.ts';
import { routeMessage, topicMatches } from '../routing.ts';
import { TopologyError, topologyFromSpecs, topologyVhosts } from '../topology.ts';

const retry: RetrySpec = {
  maxRetries: 3,
  backoff: 'fixed-delays',
  initialIntervalMs: 1000,
  maxIntervalMs: 4000,
  multiplier: 2,
  delaysMs: [1000, 2000, 4000],
};

const source = {
  kind: 'amqp',
  exchange: 'smap.events',
  exchangeType: 'topic',
  routingKey: 'email.#',
  vhost: 'v',
} as const;

function subscription(overrides: Partial<SubscriptionSpec> = {}): SubscriptionSpec {
  return {
    operation: 'onEmailRequested',
    service: 'identity',
    name: 'smtp-send-email',
    route: '/events/smtp-send-email',
    source,
    eventTypes: ['email.verification.requested'],
    retry,
    deadLetter: { address: 'email.errors' },
    idempotency: { key: '$message.header#/event_id', ttlMs: 1000, store: 'memory' },
    handlerTimeoutMs: 1000,
    concurrency: 1,
    queue: { name: 'smtp_send_email_v2', type: 'quorum', durable: true, prefetch: 10 },
    ...overrides,
  };
}

describe('topologyFromSpecs', () => {
  it('derives the work queue, delay queues, dead-letter objects and legacy exchange of the identity service', () => {
    const topology = topologyFromSpecs({
      subscriptions: [subscription()],
      publications: [
        {
          operation: 'publishEmail',
          service: 'identity',
          destination: { ...source, routingKey: 'email.verification.requested' },
          dualPublish: {
            exchange: 'smtp_send_email_exc',
            exchangeType: 'fanout',
            envSwitch: 'X',
            defaultOn: true,
          },
        },
      ],
    });
    expect(topology.exchanges.map((e) => `${e.name}:${e.type}:${e.durable}`)).toEqual([
      'smap.events:topic:true',
      'smtp_send_email_exc:fanout:true',
      'smtp_send_email_v2.dlx:direct:true',
      'smtp_send_email_v2.retry:direct:true',
    ]);
    const queues = Object.fromEntries(topology.queues.map((q) => [q.name, q.arguments]));
    expect(Object.keys(queues)).toEqual([
      'email.errors',
      'smtp_send_email_v2',
      'smtp_send_email_v2.retry.1',
      'smtp_send_email_v2.retry.2',
      'smtp_send_email_v2.retry.3',
    ]);
    expect(queues.smtp_send_email_v2).toMatchObject({
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': 'smtp_send_email_v2.dlx',
      'x-dead-letter-routing-key': 'email.errors',
    });
    expect(queues['smtp_send_email_v2.retry.2']).toMatchObject({
      'x-message-ttl': 2000,
      'x-dead-letter-exchange': 'smtp_send_email_v2.retry',
      'x-dead-letter-routing-key': 'smtp_send_email_v2',
    });
    expect(topology.bindings.map((b) => `${b.source} -[${b.routingKey}]-> ${b.destination}`)).toEqual([
      'smap.events -[email.#]-> smtp_send_email_v2',
      'smtp_send_email_v2.dlx -[email.errors]-> email.errors',
      'smtp_send_email_v2.retry -[smtp_send_email_v2]-> smtp_send_email_v2',
      'smtp_send_email_v2.retry -[smtp_send_email_v2.retry.1]-> smtp_send_email_v2.retry.1',
      'smtp_send_email_v2.retry -[smtp_send_email_v2.retry.2]-> smtp_send_email_v2.retry.2',
      'smtp_send_email_v2.retry -[smtp_send_email_v2.retry.3]-> smtp_send_email_v2.retry.3',
    ]);
    expect(topologyVhosts(topology)).toEqual(['v']);
  });

  it('gives the same topology whatever the order of the specs', () => {
    const a = subscription();
    const b = subscription({
      name: 'other',
      operation: 'other',
      queue: { name: 'other', type: 'classic', durable: true, prefetch: 1 },
    });
    expect(topologyFromSpecs({ subscriptions: [a, b] })).toEqual(
      topologyFromSpecs({ subscriptions: [b, a] }),
    );
  });

  it('uses classic queues without the quorum-only arguments when asked', () => {
    const topology = topologyFromSpecs({
      subscriptions: [subscription({ queue: { name: 'q', type: 'classic', durable: true, prefetch: 1 } })],
    });
    const work = topology.queues.find((q) => q.name === 'q')!;
    expect(work.arguments).toEqual({
      'x-queue-type': 'classic',
      'x-dead-letter-exchange': 'q.dlx',
      'x-dead-letter-routing-key': 'email.errors',
    });
  });

  it('refuses one exchange declared with two types, naming both operations', () => {
    const conflicting = {
      operation: 'publishLegacy',
      service: 'billing',
      destination: { ...source, exchangeType: 'fanout' as const },
    };
    expect(() => topologyFromSpecs({ subscriptions: [subscription()], publications: [conflicting] })).toThrow(
      /exchange 'smap.events' in vhost 'v' is declared differently by operation 'publishLegacy' of service 'billing'.*operation 'onEmailRequested'/s,
    );
  });

  it('declares an exchange as durable and auto-deleted as the contract says', () => {
    const topology = topologyFromSpecs({
      publications: [
        {
          operation: 'publishScratch',
          service: 'identity',
          destination: {
            ...source,
            exchange: 'scratch',
            routingKey: 'scratch.made',
            durable: false,
            autoDelete: true,
          },
        },
      ],
    });
    expect(topology.exchanges.map((e) => [e.name, e.durable, e.autoDelete])).toEqual([
      ['scratch', false, true],
    ]);
  });

  it('declares only the work queue for the default exchange: no exchange, no binding from it', () => {
    const direct = {
      kind: 'amqp',
      exchange: '',
      exchangeType: 'direct',
      routingKey: 'jobs',
      vhost: 'v',
    } as const;
    const topology = topologyFromSpecs({
      subscriptions: [
        subscription({ source: direct, queue: { name: 'jobs', type: 'quorum', durable: true, prefetch: 1 } }),
      ],
      publications: [{ operation: 'requestJob', service: 'identity', destination: direct }],
    });
    expect(topology.exchanges.map((e) => e.name)).toEqual(['jobs.dlx', 'jobs.retry']);
    expect(topology.queues.map((q) => q.name)).toContain('jobs');
    expect(topology.bindings.filter((b) => b.source === '')).toEqual([]);
    const elsewhere = subscription({
      source: direct,
      queue: { name: 'other', type: 'quorum', durable: true, prefetch: 1 },
    });
    expect(() => topologyFromSpecs({ subscriptions: [elsewhere] })).toThrow(/fix: name the queue 'jobs'/);
  });

  it('refuses a non-durable quorum queue and reserved names with a fix', () => {
    const nonDurable = subscription({ queue: { name: 'q', type: 'quorum', durable: false, prefetch: 1 } });
    expect(() => topologyFromSpecs({ subscriptions: [nonDurable] })).toThrow(TopologyError);
    expect(() => topologyFromSpecs({ subscriptions: [nonDurable] })).toThrow(/fix: remove `durable: false`/);
    const reserved = subscription({ queue: { name: 'amq.q', type: 'quorum', durable: true, prefetch: 1 } });
    expect(() => topologyFromSpecs({ subscriptions: [reserved] })).toThrow(/reserved 'amq.' prefix/);
  });

  it('declares no retry objects when the subscription has no retries', () => {
    const topology = topologyFromSpecs({
      subscriptions: [subscription({ retry: { ...retry, maxRetries: 0 } })],
    });
    expect(topology.queues.map((q) => q.name)).toEqual(['email.errors', 'smtp_send_email_v2']);
    expect(topology.exchanges.map((e) => e.name)).not.toContain('smtp_send_email_v2.retry');
  });

  it('ignores specs on other transports', () => {
    const topic = subscription({ source: { kind: 'topic', pubsub: 'pubsub', topic: 't' } });
    expect(topologyFromSpecs({ subscriptions: [topic] })).toEqual({
      exchanges: [],
      queues: [],
      bindings: [],
    });
  });
});

describe('retry plan', () => {
  it('computes exponential delays capped at the maximum when no explicit delays are given', () => {
    const exp: RetrySpec = {
      ...retry,
      backoff: 'exponential',
      maxRetries: 5,
      initialIntervalMs: 500,
      delaysMs: [],
    };
    expect(retryDelays(exp)).toEqual([500, 1000, 2000, 4000, 4000]);
    expect(retryLevels('q', exp).map((l) => `${l.queue}:${l.delayMs}`)).toEqual([
      'q.retry.1:500',
      'q.retry.2:1000',
      'q.retry.3:2000',
      'q.retry.4:4000',
    ]);
    const levels = retryLevels('q', exp);
    expect(levelForRetry(exp, levels, 5).queue).toBe('q.retry.4');
    expect(levelForRetry(exp, levels, 2).queue).toBe('q.retry.2');
  });

  it('repeats the last explicit delay and shares a level between equal delays', () => {
    const fixed: RetrySpec = { ...retry, maxRetries: 4, delaysMs: [1000, 5000] };
    expect(retryDelays(fixed)).toEqual([1000, 5000, 5000, 5000]);
    expect(retryLevels('q', fixed)).toHaveLength(2);
  });

  it('routes a retry outcome to the planned level, or to the nearest delay when the pipeline chose another', () => {
    const levels = retryLevels('q', retry);
    expect(chooseRetryLevel(retry, levels, 2, 2000)?.queue).toBe('q.retry.2');
    expect(chooseRetryLevel(retry, levels, 1, 3900)?.queue).toBe('q.retry.3');
    expect(chooseRetryLevel(retry, [], 1, 1000)).toBeUndefined();
  });
});

describe('topic routing', () => {
  it.each([
    ['email.#', 'email', true],
    ['email.#', 'email.verification.requested', true],
    ['email.#', 'emails.sent', false],
    ['subscription.*', 'subscription.created', true],
    ['subscription.*', 'subscription.status.changed', false],
    ['*.created', 'project.created', true],
    ['#.created', 'a.b.created', true],
    ['#', '', true],
    ['a.#.z', 'a.z', true],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.z', 'a.b.c', false],
    ['*', 'a.b', false],
  ])('%s matches %s: %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });

  it('follows topic and fanout bindings to queues', () => {
    const topology = topologyFromSpecs({ subscriptions: [subscription()] });
    expect(routeMessage(topology, 'v', 'smap.events', 'email.verification.requested')).toEqual([
      'smtp_send_email_v2',
    ]);
    expect(routeMessage(topology, 'v', 'smap.events', 'subscription.created')).toEqual([]);
    expect(routeMessage(topology, 'v', 'smtp_send_email_v2.retry', 'smtp_send_email_v2.retry.1')).toEqual([
      'smtp_send_email_v2.retry.1',
    ]);
  });
});
