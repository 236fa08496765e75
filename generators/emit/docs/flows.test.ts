import { describe, expect, it } from 'vitest';
import type { AmqpExchange } from '../../model/types.ts';
import {
  amqpChannel,
  model as contractModel,
  delivery,
  message,
  receive,
  send,
  service,
  topicChannel,
  TEST_DOCUMENT,
} from '../test-support/model-builders.ts';
import { shopModel } from './__fixtures__/shop-model.ts';
import { reaches, wiring } from './flows.ts';

const m = message('x.y.z', { type: 'object' }, { file: TEST_DOCUMENT });
const exchange = (type: AmqpExchange['type'], name = 'events', vhost = 'v'): AmqpExchange => ({
  name,
  type,
  durable: true,
  autoDelete: false,
  vhost,
});

describe('reaches', () => {
  it.each([
    [
      'same topic',
      topicChannel('a.b', { messages: [m], file: TEST_DOCUMENT }),
      topicChannel('a.b', { messages: [m], file: TEST_DOCUMENT }),
      true,
    ],
    [
      'other topic',
      topicChannel('a.b', { messages: [m], file: TEST_DOCUMENT }),
      topicChannel('a.c', { messages: [m], file: TEST_DOCUMENT }),
      false,
    ],
    [
      'topic vs amqp',
      topicChannel('a.b', { messages: [m], file: TEST_DOCUMENT }),
      amqpChannel('a.b', exchange('topic'), { messages: [m], file: TEST_DOCUMENT }),
      false,
    ],
    [
      'topic pattern #',
      amqpChannel('email.sent', exchange('topic'), { messages: [m], file: TEST_DOCUMENT }),
      amqpChannel('email.#', exchange('topic'), { messages: [m], file: TEST_DOCUMENT }),
      true,
    ],
    [
      'topic pattern *',
      amqpChannel('email.sent.eu', exchange('topic'), { messages: [m], file: TEST_DOCUMENT }),
      amqpChannel('email.*', exchange('topic'), { messages: [m], file: TEST_DOCUMENT }),
      false,
    ],
    [
      'direct equal',
      amqpChannel('k', exchange('direct'), { messages: [m], file: TEST_DOCUMENT }),
      amqpChannel('k', exchange('direct'), { messages: [m], file: TEST_DOCUMENT }),
      true,
    ],
    [
      'direct other',
      amqpChannel('k', exchange('direct'), { messages: [m], file: TEST_DOCUMENT }),
      amqpChannel('j', exchange('direct'), { messages: [m], file: TEST_DOCUMENT }),
      false,
    ],
    [
      'fanout',
      amqpChannel('k', exchange('fanout'), { messages: [m], file: TEST_DOCUMENT }),
      amqpChannel('anything', exchange('fanout'), { messages: [m], file: TEST_DOCUMENT }),
      true,
    ],
    [
      'headers',
      amqpChannel('k', exchange('headers'), { messages: [m], file: TEST_DOCUMENT }),
      amqpChannel('k', exchange('headers'), { messages: [m], file: TEST_DOCUMENT }),
      false,
    ],
    [
      'other vhost',
      amqpChannel('k', exchange('topic'), { messages: [m], file: TEST_DOCUMENT }),
      amqpChannel('k', exchange('topic', 'events', 'w'), { messages: [m], file: TEST_DOCUMENT }),
      false,
    ],
    [
      'other exchange',
      amqpChannel('k', exchange('topic'), { messages: [m], file: TEST_DOCUMENT }),
      amqpChannel('k', exchange('topic', 'other'), { messages: [m], file: TEST_DOCUMENT }),
      false,
    ],
  ])('%s -> %s', (_, from, to, expected) => {
    expect(reaches(from, to)).toBe(expected);
  });
});

describe('wiring', () => {
  it('joins publications to subscriptions and dead letters to their monitors', () => {
    const { flows, deadLetters } = wiring(shopModel());
    const ends = (f: (typeof flows)[number]) =>
      `${f.from.service}/${f.from.id} -> ${f.to.service}/${f.to.id}`;
    expect(flows.map((f) => [ends(f), f.eventTypes])).toEqual([
      ['catalog/publishProductCreated -> search/onProductCreated', ['catalog.product.created']],
      ['notification/publishEmailRequested -> notification/onEmail', ['notification.email.requested']],
    ]);
    expect(deadLetters.map(ends)).toEqual(['search/onProductCreated -> search/onProductCreatedDeadLetters']);
  });

  it('needs a shared message: a channel carrying other event types is no flow', () => {
    const other = message('a.b.other', { type: 'object' }, { file: TEST_DOCUMENT });
    const model = contractModel(
      service('p', [send('pub', topicChannel('t', { messages: [m], file: TEST_DOCUMENT }))], {
        layout: 'asyncapi',
      }),
      service(
        'c',
        [
          receive('sub', topicChannel('t', { messages: [other], file: TEST_DOCUMENT }), [other], {
            delivery: delivery('sub'),
          }),
        ],
        { layout: 'asyncapi' },
      ),
    );
    expect(wiring(model).flows).toEqual([]);
  });
});
