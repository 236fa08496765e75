import { describe, expect, it } from 'vitest';
import { contractModel, delivery, message, receive, send, service, topic } from './__fixtures__/builders.ts';
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
  const a = message('a.thing.created', { type: 'object' });
  const b = message('a.thing.deleted', { type: 'object' });
  const model = contractModel(
    service('a-b', [send('pubA', topic('t.a', [a])), send('pubB', topic('t.b', [b]))]),
    service('a_b', []),
    service('end', [
      receive('onA', topic('t.a', [a]), delivery('on-a')),
      receive('onB', topic('t.b', [b]), delivery('on-b')),
    ]),
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
