import { describe, expect, it } from 'vitest';
import { serviceView, validatorName } from './service-view.ts';
import { message, receive, send, service, topicChannel } from '../test-support/model-builders.ts';

const m = message('shop.thing.done', { type: 'object' });
const ch = topicChannel('t');

describe('serviceView: safe identifiers', () => {
  it.each<[string, string, string]>([
    ['reserved word', 'delete', 'delete_'],
    ['another reserved word', 'default', 'default_'],
    ['dashes', 'order-created', 'orderCreated'],
    ['dots and underscores', 'on.stock_changed', 'onStockChanged'],
    ['leading digit', '2fa-verified', '_2faVerified'],
    ['already camel', 'publishProductCreated', 'publishProductCreated'],
  ])('operation id with %s: %s -> %s', (_what, operationId, expected) => {
    const view = serviceView(service('s', [send(operationId, ch, [m]), receive(operationId, ch, [m])]));
    expect(view.publications.map((p) => p.key)).toEqual([expected]);
    expect(view.subscriptions.map((s) => s.key)).toEqual([expected]);
  });

  it('names the API after the service in PascalCase', () => {
    expect(serviceView(service('common-operations', [])).api).toEqual({
      publisher: 'CommonOperationsPublisher',
      createPublisher: 'createCommonOperationsPublisher',
      handlers: 'CommonOperationsHandlers',
      startConsumer: 'startCommonOperationsConsumer',
    });
  });

  it('gives a send operation with several messages one method per message, sorted', () => {
    const other = message('shop.other', { type: 'object' });
    const view = serviceView(service('s', [send('emit', ch, [other, m]), send('announce', ch, [m])]));
    expect(view.publications.map((p) => [p.key, p.message.name])).toEqual([
      ['announce', 'shop.thing.done'],
      ['emitShopOther', 'shop.other'],
      ['emitShopThingDone', 'shop.thing.done'],
    ]);
  });

  it("falls back to the channel's messages when the operation lists none", () => {
    const channel = topicChannel('c', { messages: [m] });
    expect(serviceView(service('s', [send('p', channel, [])])).publications[0]?.message).toBe(m);
  });

  it('accepts two definitions of one message with equal payloads (copies of one schema)', () => {
    const copy = message(
      'shop.thing.done',
      { type: 'object' },
      { source: { file: 'copy.yaml', pointer: '/m' } },
    );
    const view = serviceView(service('s', [send('x', ch, [m]), receive('y', ch, [copy])]));
    expect(view.messages).toEqual([m]);
  });

  it('collects every message once, sorted by type name, and validator names from type names', () => {
    const a = message('a.b', { type: 'string' });
    const view = serviceView(service('s', [send('x', ch, [m, a]), receive('y', ch, [a, m, a])]));
    expect(view.messages.map((x) => x.typeName)).toEqual(['AB', 'ShopThingDone']);
    expect(view.subscriptions[0]?.messages.map((x) => x.name)).toEqual(['a.b', 'shop.thing.done']);
    expect(validatorName(a)).toBe('validateAB');
  });

  it('numbers parameter types whose channel ids collide', () => {
    const one = topicChannel('a.{x}', { id: 'orders', parameters: [{ name: 'x' }] });
    const two = topicChannel('b.{y}', { id: 'orders', parameters: [{ name: 'y' }] });
    const view = serviceView(service('s', [send('one', one, [m]), send('two', two, [m])]));
    expect(view.parameterTypes.map((p) => [p.typeName, p.channel.address])).toEqual([
      ['OrdersParameters', 'a.{x}'],
      ['OrdersParameters2', 'b.{y}'],
    ]);
    expect(view.publications.map((p) => p.parameters?.typeName)).toEqual([
      'OrdersParameters',
      'OrdersParameters2',
    ]);
  });

  it('lists the contract files the code comes from', () => {
    const foreign = message(
      'other.event',
      { type: 'object' },
      { source: { file: 'other.yaml', pointer: '/x' } },
    );
    expect(serviceView(service('s', [receive('r', ch, [foreign])])).sources).toEqual([
      'other.yaml',
      's.yaml',
      'test.yaml',
    ]);
  });
});

describe('serviceView: contract mistakes are reported with both locations', () => {
  it.each<[string, () => ReturnType<typeof send>[], RegExp]>([
    [
      'two operation ids that become the same method',
      () => [send('order-created', ch, [m]), send('orderCreated', ch, [m])],
      /operations "order-created" \(test\.yaml#\/operations\/order-created\) and "orderCreated" both become the publisher method "orderCreated"/,
    ],
    [
      'two receive operations that become the same handler',
      () => [receive('on.a', ch, [m]), receive('on-a', ch, [m])],
      /both become the consumer handler "onA"; rename one of the operationIds/,
    ],
    [
      'two message names with the same type name',
      () => [send('p', ch, [message('a.b', {}), message('a-b', {})])],
      /messages "a\.b" .* and "a-b" both become type AB in service "s"; rename one of them/,
    ],
    [
      'one message name with two different payloads',
      () => [
        send('p', ch, [message('a.b', { type: 'string' })]),
        receive('r', ch, [
          message('a.b', { type: 'number' }, { source: { file: 'other.yaml', pointer: '/m' } }),
        ]),
      ],
      /other\.yaml#\/m: message "a\.b" has a different payload here than at a\.yaml#\/components\/messages\/AB/,
    ],
    [
      'an operation without any message',
      () => [send('p', topicChannel('empty'), [])],
      /test\.yaml#\/operations\/p: operation "p" has no message/,
    ],
  ])('%s', (_title, operations, expected) => {
    expect(() => serviceView(service('s', operations()))).toThrow(expected);
  });
});
