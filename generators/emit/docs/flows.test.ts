import { describe, expect, it } from 'vitest';
import type { AmqpExchange } from '../../model/types.ts';
import {
  amqp,
  contractModel,
  delivery,
  message,
  receive,
  send,
  service,
  topic,
} from './__fixtures__/builders.ts';
import { shopModel } from './__fixtures__/shop-model.ts';
import { reaches, wiring } from './flows.ts';

const m = message('x.y.z', { type: 'object' });
const exchange = (type: AmqpExchange['type'], name = 'events', vhost = 'v'): AmqpExchange => ({
  name,
  type,
  durable: true,
  autoDelete: false,
  vhost,
});

describe('reaches', () => {
  it.each([
    ['same topic', topic('a.b', [m]), topic('a.b', [m]), true],
    ['other topic', topic('a.b', [m]), topic('a.c', [m]), false],
    ['topic vs amqp', topic('a.b', [m]), amqp('a.b', exchange('topic'), [m]), false],
    [
      'topic pattern #',
      amqp('email.sent', exchange('topic'), [m]),
      amqp('email.#', exchange('topic'), [m]),
      true,
    ],
    [
      'topic pattern *',
      amqp('email.sent.eu', exchange('topic'), [m]),
      amqp('email.*', exchange('topic'), [m]),
      false,
    ],
    ['direct equal', amqp('k', exchange('direct'), [m]), amqp('k', exchange('direct'), [m]), true],
    ['direct other', amqp('k', exchange('direct'), [m]), amqp('j', exchange('direct'), [m]), false],
    ['fanout', amqp('k', exchange('fanout'), [m]), amqp('anything', exchange('fanout'), [m]), true],
    ['headers', amqp('k', exchange('headers'), [m]), amqp('k', exchange('headers'), [m]), false],
    [
      'other vhost',
      amqp('k', exchange('topic'), [m]),
      amqp('k', exchange('topic', 'events', 'w'), [m]),
      false,
    ],
    ['other exchange', amqp('k', exchange('topic'), [m]), amqp('k', exchange('topic', 'other'), [m]), false],
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
    const other = message('a.b.other', { type: 'object' });
    const model = contractModel(
      service('p', [send('pub', topic('t', [m]))]),
      service('c', [receive('sub', topic('t', [other]), delivery('sub'))]),
    );
    expect(wiring(model).flows).toEqual([]);
  });
});
