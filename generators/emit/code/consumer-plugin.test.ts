import { describe, expect, it } from 'vitest';
import { consumerPlugin } from './consumer-plugin.ts';
import { handlersScaffoldPlugin } from './handlers-scaffold-plugin.ts';
import { indexPlugin } from './index-plugin.ts';
import {
  amqpChannel,
  delivery,
  message,
  model,
  receive,
  send,
  service,
  topicChannel,
} from '../test-support/model-builders.ts';

const placed = message('shop.order.placed', { type: 'object' });
const cancelled = message('shop.order.cancelled', { type: 'object' });

async function consumerText(...ops: ReturnType<typeof receive>[]): Promise<string> {
  const files = await consumerPlugin.emit(model(service('billing', ops)), { outDir: 'g' });
  expect(files.map((f) => [f.path, f.ownership])).toEqual([['billing/consumer.ts', 'generated']]);
  return files[0]!.contents;
}

describe('consumerPlugin', () => {
  it.each<[string, ReturnType<typeof receive>[], readonly string[]]>([
    [
      'a required, readonly handler per receive operation',
      [receive('chargeOrder', topicChannel('orders'), [placed])],
      ['  readonly chargeOrder: EventHandler<ShopOrderPlaced>;'],
    ],
    [
      'the union of payloads for a multi-message operation',
      [receive('onOrder', topicChannel('orders'), [placed, cancelled])],
      ['  readonly onOrder: EventHandler<ShopOrderPlaced | ShopOrderCancelled>;'],
    ],
    [
      'a bind call with validators keyed by event type',
      [receive('onOrder', topicChannel('orders'), [placed, cancelled])],
      [
        '    bind<ShopOrderPlaced | ShopOrderCancelled>(subscriptions.onOrder, {',
        "      'shop.order.placed': validateShopOrderPlaced,",
        "      'shop.order.cancelled': validateShopOrderCancelled",
        '    }, handlers.onOrder)',
      ],
    ],
    [
      'every subscription started together, sorted by handler name',
      [receive('zeta', topicChannel('z'), [placed]), receive('alpha', topicChannel('a'), [cancelled])],
      [
        '  return startConsumer(runtime, [',
        "    bind<ShopOrderCancelled>(subscriptions.alpha, { 'shop.order.cancelled': validateShopOrderCancelled }, handlers.alpha),",
        "    bind<ShopOrderPlaced>(subscriptions.zeta, { 'shop.order.placed': validateShopOrderPlaced }, handlers.zeta)",
        '  ], options);',
      ],
    ],
    [
      'JSDoc naming the source, the retries and the dead letter',
      [
        receive('onOrder', amqpChannel('order.#', { name: 'orders' }), [placed], {
          summary: 'Charge the customer.',
          delivery: delivery('billing', { deadLetter: { address: 'orders.errors' } }),
        }),
      ],
      [
        '   * Charge the customer.',
        '   *',
        '   * Handles `shop.order.placed` from AMQP exchange `orders` bound with `order.#`. Throwing retries the',
        '   * event (up to 3 retries), then it goes to `orders.errors`.',
      ],
    ],
  ])('%s', async (_title, ops, lines) => {
    expect(await consumerText(...ops)).toContain(lines.join('\n'));
  });

  it('declares the handler map and the start function after the service', async () => {
    const text = await consumerText(receive('on-order', topicChannel('orders'), [placed]));
    expect(text).toContain('export interface BillingHandlers {');
    expect(text).toContain(
      'export function startBillingConsumer(runtime: Runtime, handlers: BillingHandlers, options?: ConsumerOptions): Promise<ConsumerHandle> {',
    );
    // Only the runtime options are optional: every handler of the map is required.
    expect(text.match(/\?:/g)).toEqual(['?:']);
  });

  it('writes no consumer for a service that only publishes', async () => {
    const files = await consumerPlugin.emit(model(service('s', [send('p', topicChannel('o'), [placed])])), {
      outDir: 'g',
    });
    expect(files).toEqual([]);
  });
});

describe('handlersScaffoldPlugin', () => {
  it('writes a user-owned implementation whose handlers say what to do and throw until written', async () => {
    const svc = service('billing', [
      receive('chargeOrder', topicChannel('orders'), [placed], { summary: 'Charge the customer' }),
      receive('default', topicChannel('x'), [placed, cancelled]),
    ]);
    const [file, ...rest] = await handlersScaffoldPlugin.emit(model(svc), { outDir: 'g' });
    expect(rest).toEqual([]);
    expect(file?.path).toBe('billing/handlers.ts');
    expect(file?.ownership).toBe('scaffold');
    const text = file!.contents;
    expect(text).toMatch(/^import type \{ BillingHandlers \} from '\.\/consumer\.ts';\n/);
    // A consumer-only service: nothing to publish with, so its deps start empty for the user to fill.
    expect(text).toContain('export interface BillingHandlerDeps {\n}');
    expect(text).toContain('export function createHandlers(_deps: BillingHandlerDeps): BillingHandlers {');
    expect(text).toContain(
      '    async chargeOrder(_event, _context) {\n      // TODO: Charge the customer. `_event.data` is',
    );
    expect(text).toContain("      throw new Error('chargeOrder is not implemented yet');");
    // Comment lines are wrapped, so compare the words of the TODO with the `//` line breaks removed.
    expect(text.replace(/\n\s*\/\/ /g, ' ')).toContain(
      'TODO: Handle `shop.order.placed`, `shop.order.cancelled` events. `_event.data` is the ' +
        'ShopOrderPlaced | ShopOrderCancelled payload (`_event.event_type` tells which).',
    );
    expect(text).toContain("      throw new Error('default_ is not implemented yet');");
  });

  it('hands a service that publishes its publisher through the deps the factory takes', async () => {
    const svc = service('billing', [
      receive('chargeOrder', topicChannel('orders'), [placed]),
      send('announce', topicChannel('charges'), [cancelled]),
    ]);
    const [file] = await handlersScaffoldPlugin.emit(model(svc), { outDir: 'g' });
    const text = file!.contents;
    expect(text).toContain("import type { BillingPublisher } from './publisher.ts';");
    expect(text).toContain('  readonly publisher: BillingPublisher;');
    expect(text.replace(/\n\s*\* /g, ' ')).toContain(
      'Start them with `startBillingConsumer(runtime, createHandlers({ publisher: createBillingPublisher(runtime) }))`',
    );
  });

  it('writes nothing for a service without receive operations', async () => {
    const files = await handlersScaffoldPlugin.emit(model(service('s', [])), { outDir: 'g' });
    expect(files).toEqual([]);
  });
});

describe('indexPlugin', () => {
  it.each<[string, ReturnType<typeof send>[], readonly string[]]>([
    [
      'a service that publishes and consumes',
      [send('p', topicChannel('o'), [placed]), receive('r', topicChannel('o'), [placed])],
      [
        "export type * from './types.ts';",
        "export * from './validators.js';",
        "export * from './contract.ts';",
        "export * from './publisher.ts';",
        "export * from './consumer.ts';",
      ],
    ],
    [
      'a consumer only',
      [receive('r', topicChannel('o'), [placed])],
      [
        "export type * from './types.ts';",
        "export * from './validators.js';",
        "export * from './contract.ts';",
        "export * from './consumer.ts';",
      ],
    ],
    [
      'a service without operations',
      [],
      ["export type * from './types.ts';", "export * from './contract.ts';"],
    ],
  ])(
    '%s re-exports exactly the files that exist (never the user-owned handlers)',
    async (_title, ops, lines) => {
      const [file] = await indexPlugin.emit(model(service('s', ops)), { outDir: 'g' });
      expect(file?.path).toBe('s/index.ts');
      expect(file?.contents).toBe(`${lines.join('\n')}\n`);
    },
  );
});
