import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../model/types.ts';
import {
  DAPR_RETRY,
  delivery,
  model as contractModel,
  receive,
  server,
  service,
} from '../test-support/model-builders.ts';
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

  it("lets daprd retry without a count limit (the app applies the contract's limit) with a timeout from the timing rule", () => {
    const catalog = byApp.get('catalog-worker');
    expect(catalog.spec.targets.components.pubsub.inbound).toEqual({
      retry: 'pubsub-inbound',
      timeout: 'pubsub-inbound',
    });
    expect(catalog.spec.policies.retries['pubsub-inbound']).toEqual({
      policy: 'constant',
      duration: '1s',
      maxRetries: -1,
    });
    // The slowest subscription on the component decides: price-updated's 60 s handler + 10 s for claim, commit
    // and dead-letter publish (the fixture's retry policy has no delay to hold a RETRY for).
    expect(catalog.spec.policies.timeouts['pubsub-inbound']).toBe('70s');
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

  it('sizes the inbound timeout from the slowest subscription, its ordering buffer and its longest retry delay', () => {
    const model = contractModel(
      service(
        'a',
        [
          receive('on-fast', channels.created, channels.created.messages, {
            delivery: delivery('fast', { retry: DAPR_RETRY, handlerTimeout: 5_000 }),
          }),
          receive('on-patient', channels.updated, channels.updated.messages, {
            delivery: delivery('patient', {
              handlerTimeout: 20_000,
              retry: retry({ delays: [1_000, 9_000, 30_000] }),
            }),
          }),
        ],
        { layout: 'asyncapi', title: 'a', servers: [redis] },
      ),
    );
    const plan = daprResiliencyPlan(model);
    // 20 s handler + 10 s overhead + (30 s - 1 s) hold = 59 s; no finding: the app honours every policy itself.
    expect((plan.resources[0]!.resource as Doc).spec.policies.timeouts['pubsub-inbound']).toBe('59s');
    expect(plan.findings).toEqual([]);
  });
});
