import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../model/types.ts';
import { contractModel, delivery, receive, send, server, service } from './__fixtures__/builders.ts';
import { emitDapr } from './__fixtures__/emit.ts';
import { type Doc, docs } from './__fixtures__/parse.ts';
import { channels, platformModel } from './__fixtures__/platform.ts';
import { daprResiliencyPlan } from './resiliency.ts';

const redis = server('dapr-redis', { name: 'pubsub' });
const retry = (overrides: Partial<RetryPolicy>): RetryPolicy => ({
  maxRetries: 3,
  backoff: 'exponential',
  initialInterval: 500,
  maxInterval: 60_000,
  multiplier: 1.5,
  delays: [],
  ...overrides,
});

async function resiliencyOf(services: Parameters<typeof contractModel>[0]): Promise<Map<string, Doc>> {
  const files = await emitDapr(contractModel(services));
  return new Map(docs(files.get('dapr/resiliency.yaml')?.contents).map((d) => [d.scopes[0], d]));
}

describe('resiliency.yaml', async () => {
  const byApp = new Map(
    docs((await emitDapr(platformModel())).get('dapr/resiliency.yaml')?.contents).map((d) => [
      d.scopes[0],
      d,
    ]),
  );

  it('writes one Resiliency per app using Dapr pub/sub, scoped to that app', () => {
    expect([...byApp.keys()].sort()).toEqual([
      'catalog-worker',
      'common-operations-worker',
      'notification-worker',
      'order-worker',
      'pricing-worker',
      'search-worker',
      'warehouse-worker',
    ]);
    for (const doc of byApp.values())
      expect([doc.apiVersion, doc.kind]).toEqual(['dapr.io/v1alpha1', 'Resiliency']);
  });

  it('retries inbound deliveries with the contract policy (3 exponential retries by default) and the handler timeout', () => {
    const catalog = byApp.get('catalog-worker');
    expect(catalog.spec.targets.components.pubsub.inbound).toEqual({
      retry: 'pubsub-inbound',
      timeout: 'pubsub-inbound',
    });
    expect(catalog.spec.policies.retries['pubsub-inbound']).toEqual({
      policy: 'exponential',
      maxInterval: '1m',
      maxRetries: 3,
    });
    // the slowest handler on the component decides: price-updated allows 60 s
    expect(catalog.spec.policies.timeouts['pubsub-inbound']).toBe('1m');
  });

  it('protects publishing with a timeout and a circuit breaker, and publish-only apps get no inbound policy', () => {
    const warehouse = byApp.get('warehouse-worker');
    expect(warehouse.spec.targets.components.pubsub).toEqual({
      outbound: { timeout: 'pubsub-outbound', circuitBreaker: 'pubsub-outbound' },
    });
    expect(warehouse.spec.policies.circuitBreakers['pubsub-outbound']).toMatchObject({
      trip: 'consecutiveFailures >= 5',
    });
    expect(warehouse.spec.policies.retries).toBeUndefined();
  });

  it('takes maxRetries and back-off from the contract', async () => {
    const apps = await resiliencyOf([
      service(
        'a',
        [
          receive(
            'a',
            channels.created,
            delivery('x', { retry: retry({ maxRetries: 7, maxInterval: 10_000 }) }),
          ),
        ],
        [redis],
      ),
      service(
        'b',
        [
          receive(
            'b',
            channels.created,
            delivery('y', { retry: retry({ backoff: 'constant', initialInterval: 2000 }) }),
          ),
        ],
        [redis],
      ),
    ]);
    expect(apps.get('a-worker').spec.policies.retries['pubsub-inbound']).toEqual({
      policy: 'exponential',
      maxInterval: '10s',
      maxRetries: 7,
    });
    expect(apps.get('b-worker').spec.policies.retries['pubsub-inbound']).toEqual({
      policy: 'constant',
      duration: '2s',
      maxRetries: 3,
    });
  });

  it('uses the most patient policy when one app declares several on a component, and says so', () => {
    const model = contractModel([
      service(
        'a',
        [
          receive('a', channels.created, delivery('few', { retry: retry({ maxRetries: 2 }) })),
          receive('a', channels.updated, delivery('many', { retry: retry({ maxRetries: 9 }) })),
          send('a', channels.stock),
        ],
        [redis],
      ),
    ]);
    const plan = daprResiliencyPlan(model);
    expect(plan.resources[0]?.resource.spec).toMatchObject({
      policies: { retries: { 'pubsub-inbound': { maxRetries: 9 } } },
    });
    expect(plan.findings.map((f) => [f.code, f.source.pointer])).toEqual([
      ['dapr-retry-per-component', '/operations/on-few'],
    ]);
  });

  it('approximates fixed delays, which Dapr cannot express, and says so', () => {
    const model = contractModel([
      service(
        'a',
        [
          receive(
            'a',
            channels.created,
            delivery('x', { retry: retry({ backoff: 'fixed-delays', delays: [1000, 5000, 120_000] }) }),
          ),
        ],
        [redis],
      ),
    ]);
    const plan = daprResiliencyPlan(model);
    expect(plan.resources[0]?.resource.spec).toMatchObject({
      policies: {
        retries: { 'pubsub-inbound': { policy: 'exponential', maxInterval: '2m', maxRetries: 3 } },
      },
    });
    expect(plan.findings.map((f) => f.code)).toEqual(['dapr-retry-approximated']);
  });
});
