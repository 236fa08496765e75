import { describe, expect, it } from 'vitest';
import {
  model as contractModel,
  delivery,
  message,
  receive,
  send,
  service,
  topicChannel,
  TEST_DOCUMENT,
} from '../test-support/model-builders.ts';
import { wiring } from './flows.ts';
import { mermaidLabel, topologyDiagram } from './mermaid.ts';

describe('mermaidLabel', () => {
  it.each([
    ['orders.order.created', '"orders.order.created"'],
    ['say "hi"', '"say #34;hi#34;"'],
    ['<b>#1', '"#60;b#62;#35;1"'],
  ])('%j -> %s', (raw, expected) => {
    expect(mermaidLabel(raw)).toBe(expected);
  });
});

describe('topologyDiagram', () => {
  const a = message('a.thing.created', { type: 'object' }, { file: TEST_DOCUMENT });
  const b = message('a.thing.deleted', { type: 'object' }, { file: TEST_DOCUMENT });
  const model = contractModel(
    service(
      'a-b',
      [
        send('pubA', topicChannel('t.a', { messages: [a], file: TEST_DOCUMENT })),
        send('pubB', topicChannel('t.b', { messages: [b], file: TEST_DOCUMENT })),
      ],
      { layout: 'asyncapi' },
    ),
    service('a_b', [], { layout: 'asyncapi' }),
    service(
      'end',
      [
        receive('onA', topicChannel('t.a', { messages: [a], file: TEST_DOCUMENT }), [a], {
          delivery: delivery('on-a'),
        }),
        receive('onB', topicChannel('t.b', { messages: [b], file: TEST_DOCUMENT }), [b], {
          delivery: delivery('on-b'),
        }),
      ],
      { layout: 'asyncapi' },
    ),
  );

  it('draws one arrow per pair of services, with every event type in its label', () => {
    const diagram = topologyDiagram(model.services, wiring(model));
    expect(diagram).toBe(
      [
        '```mermaid',
        'flowchart LR',
        '  svc_a_b["a-b"]',
        '  svc_a_b_2["a_b"]',
        '  svc_end["end"]',
        '  svc_a_b -->|"a.thing.created<br/>a.thing.deleted"| svc_end',
        '```',
      ].join('\n'),
    );
  });
});
