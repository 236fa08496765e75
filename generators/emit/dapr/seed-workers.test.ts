/**
 * The platform's real contracts (asyncapi/) must give the eleven workers of the event-architecture checklist
 * exactly the subscriptions it lists, with the topic names of the renaming documented in asyncapi/README.md:
 * route `/events/<name>`, dead letter `dlq.<name>`, 3 retries. pricing and common-operations are listed without
 * concrete topics; for them only the conventions are checked (and common-operations must speak gRPC on 5005).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContractModel } from '../../model/types.ts';
import { emitDapr, repoRoot } from './__fixtures__/emit.ts';
import { type Doc, docs } from './__fixtures__/parse.ts';

interface Expected {
  readonly name: string;
  /** Topic after the renaming, where the checklist fixes it. */
  readonly topic?: string;
}

const sub = (name: string, topic?: string): Expected => (topic ? { name, topic } : { name });

const WORKERS: Readonly<Record<string, readonly Expected[] | 'conventions-only'>> = {
  catalog: [
    sub('warehouse-stock-changed', 'warehouse.inventory.stock_changed'),
    sub('price-updated', 'pricing.price.updated'),
  ],
  search: [
    sub('product-created', 'catalog.product.created'),
    sub('product-updated', 'catalog.product.updated'),
    sub('product-deleted', 'catalog.product.deleted'),
  ],
  payment: [sub('payment-capture-requested', 'orders.payment.capture_requested')],
  pricing: 'conventions-only',
  'common-operations': 'conventions-only',
  shipping: [sub('fulfillment-status-changed', 'fulfillments.fulfillment.status_changed')],
  notification: [
    sub('order-created'),
    sub('order-status-changed'),
    sub('payment-processed'),
    sub('shipment-created'),
    sub('return-requested'),
    sub('review-created'),
  ],
  order: [sub('cart-checked-out'), sub('checkout-started')],
  fulfillment: [sub('order-created'), sub('order-status-changed'), sub('inventory-reserved')],
  warehouse: [sub('order-created'), sub('return-requested')],
  customer: [sub('user-registered'), sub('customer-created')],
};

async function loadPlatform(): Promise<ContractModel> {
  // Loaded by URL so this file type-checks while the model builder is still being written.
  const { loadModel } = (await import(new URL('../../model/index.ts', import.meta.url).href)) as {
    loadModel(
      paths: string[],
    ): Promise<{ model: ContractModel; errors: readonly { file: string; message: string }[] }>;
  };
  const { model, errors } = await loadModel([join(repoRoot, 'asyncapi')]);
  if (errors.length > 0) throw new Error(errors.map((p) => `${p.file}: ${p.message}`).join('\n'));
  return model;
}

/** One row per route in a service's subscription.yaml. */
function routesOf(contents: string | undefined) {
  return docs(contents).flatMap((doc: Doc) => {
    const paths: string[] = [
      doc.spec.routes.default,
      ...(doc.spec.routes.rules ?? []).map((r: Doc) => r.path),
    ].filter(Boolean);
    return paths.map((route) => ({
      topic: doc.spec.topic as string,
      route,
      deadLetter: doc.spec.deadLetterTopic as string,
    }));
  });
}

describe('the checklist workers get their subscriptions from asyncapi/', async () => {
  const model = await loadPlatform();
  const files = await emitDapr(model);

  for (const [serviceName, expected] of Object.entries(WORKERS)) {
    it(`${serviceName}-worker`, () => {
      const service = model.services.find((s) => s.name === serviceName);
      expect(service, `asyncapi/ has no service '${serviceName}'`).toBeDefined();
      expect(service?.appId).toBe(`${serviceName}-worker`);
      const routes = routesOf(files.get(`${serviceName}/dapr/subscription.yaml`)?.contents ?? '');
      // Dead-letter monitors read `dlq.*` topics and park what they cannot handle in `dlq.parked`: giving each
      // monitor its own `dlq.dlq-monitor-...` topic would create dead letters of dead letters nobody reads.
      for (const route of routes.filter((r) => !r.topic.startsWith('dlq.'))) {
        const name = route.route.replace(/^\/events\//, '');
        expect(route.deadLetter, route.route).toBe(`dlq.${name}`);
      }
      const receives = service?.operations.filter((o) => o.action === 'receive') ?? [];
      for (const operation of receives) expect(operation.delivery?.retry.maxRetries, operation.id).toBe(3);
      if (expected === 'conventions-only') return;
      const wanted = expected.map((e) => `/events/${e.name}`).sort();
      expect(routes.map((r) => r.route).sort()).toEqual(wanted);
      for (const { name, topic } of expected) {
        const route = routes.find((r) => r.route === `/events/${name}`);
        if (topic) expect(route?.topic, name).toBe(topic);
      }
    });
  }

  it('common-operations-worker speaks gRPC on port 5005', () => {
    const [patch] = docs(files.get('common-operations/dapr/annotations.yaml')?.contents);
    expect(patch.spec.template.metadata.annotations).toMatchObject({
      'dapr.io/app-protocol': 'grpc',
      'dapr.io/app-port': '5005',
    });
  });

  it('every worker retries 3 times before dead-lettering: the app counts them, daprd retries until it answers', () => {
    const resiliency = docs(files.get('dapr/resiliency.yaml')?.contents);
    for (const serviceName of Object.keys(WORKERS)) {
      const doc = resiliency.find((d: Doc) => d.scopes[0] === `${serviceName}-worker`);
      for (const policy of Object.values(doc?.spec.policies.retries ?? {}) as Doc[])
        expect(policy.maxRetries, serviceName).toBe(-1);
      const receives = model.services
        .find((s) => s.name === serviceName)
        ?.operations.filter((operation) => operation.delivery !== undefined);
      for (const operation of receives ?? [])
        expect(operation.delivery?.retry.maxRetries, operation.id).toBe(3);
    }
  });
});
