import { describe, expect, it } from 'vitest';
import { publisherPlugin } from './publisher-plugin.ts';
import { message, model, receive, send, service, topicChannel } from '../test-support/model-builders.ts';

const placed = message('shop.order.placed', { type: 'object' }, { summary: 'An order was placed.' });
const cancelled = message('shop.order.cancelled', { type: 'object' });
const regional = topicChannel('orders.{region}', { id: 'regional', parameters: [{ name: 'region' }] });

async function publisherText(...ops: ReturnType<typeof send>[]): Promise<string> {
  const files = await publisherPlugin.emit(model(service('shop', ops)), { outDir: 'g' });
  expect(files.map((f) => [f.path, f.ownership])).toEqual([['shop/publisher.ts', 'generated']]);
  return files[0]!.contents;
}

describe('publisherPlugin', () => {
  it.each<[string, ReturnType<typeof send>[], readonly string[]]>([
    [
      'optional options when the channel has no parameters',
      [send('place', topicChannel('orders'), [placed])],
      ['  place(data: ShopOrderPlaced, options?: PublishOptions): Promise<EventEnvelope<ShopOrderPlaced>>;'],
    ],
    [
      'required options with typed parameters when the channel has placeholders',
      [send('place', regional, [placed])],
      [
        [
          '  place(data: ShopOrderPlaced, options: PublishOptions & {',
          '    readonly parameters: RegionalParameters;',
          '  }): Promise<EventEnvelope<ShopOrderPlaced>>;',
        ].join('\n'),
      ],
    ],
    [
      'one method per message of a multi-message operation',
      [send('orderEvents', topicChannel('orders'), [placed, cancelled])],
      [
        '  orderEventsShopOrderCancelled(data: ShopOrderCancelled, options?: PublishOptions): Promise<EventEnvelope<ShopOrderCancelled>>;',
        '  orderEventsShopOrderPlaced(data: ShopOrderPlaced, options?: PublishOptions): Promise<EventEnvelope<ShopOrderPlaced>>;',
      ],
    ],
    [
      'the runtime call with the spec and the validator of that message',
      [send('place', topicChannel('orders'), [placed])],
      [
        [
          '  const send = publisherSend(runtime, settings);',
          '  return {',
          '    place(data, options) {',
          '      return send(publications.place, validateShopOrderPlaced, data, options);',
          '    }',
        ].join('\n'),
      ],
    ],
    [
      'a safe identifier for a reserved-word operation id',
      [send('delete', topicChannel('orders'), [placed])],
      [
        '  delete_(data: ShopOrderPlaced, options?: PublishOptions)',
        '      return send(publications.delete_,',
      ],
    ],
    [
      'JSDoc from the contract summary and the destination',
      [send('place', topicChannel('orders'), [placed])],
      [
        [
          '   * An order was placed.',
          '   *',
          '   * Publishes `shop.order.placed` (version 1.0) to topic `orders` (pub/sub `pubsub`). Validates `data`',
        ].join('\n'),
      ],
    ],
  ])('%s', async (_title, ops, fragments) => {
    const text = await publisherText(...ops);
    for (const fragment of fragments) expect(text).toContain(fragment);
  });

  it('imports exactly what it uses, types with import type', async () => {
    const text = await publisherText(send('place', regional, [placed]));
    expect(text.split('\n\n')[0]).toBe(
      [
        "import type { EventEnvelope, PublishOptions, PublisherSettings, Runtime } from 'eventwire/runtime';",
        "import { publisherSend } from 'eventwire/runtime';",
        "import { publications } from './contract.ts';",
        "import type { RegionalParameters, ShopOrderPlaced } from './types.ts';",
        "import { validateShopOrderPlaced } from './validators.js';",
      ].join('\n'),
    );
  });

  it('names the interface and factory after the service', async () => {
    const text = await publisherText(send('place', topicChannel('orders'), [placed]));
    expect(text).toContain('export interface ShopPublisher {');
    expect(text).toContain(
      'export function createShopPublisher(runtime: Runtime, settings?: PublisherSettings): ShopPublisher {',
    );
  });

  it('writes no publisher for a service that only consumes', async () => {
    const files = await publisherPlugin.emit(
      model(service('s', [receive('r', topicChannel('o'), [placed])])),
      {
        outDir: 'g',
      },
    );
    expect(files).toEqual([]);
  });
});
