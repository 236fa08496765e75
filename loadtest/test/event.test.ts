import { describe, expect, it } from 'vitest';
import { fromCloudEvent } from '../../runtime/cloudevents.ts';
import { parseEnvelope } from '../../runtime/envelope.ts';
import { cloudEventOf, envelopeFor, payloadFor, runTag, uuidv7 } from '../lib/event.ts';
import type { Publication } from '../lib/types.ts';

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const event = {
  eventType: 'orders.order.status_changed',
  version: '1.2',
  example: { order_id: 'ORD-1', sequence: 1, note: 'x' },
};
const publication: Publication = {
  operation: 'publishStatus',
  service: { name: 'order', version: '2.0.1' },
  destination: { kind: 'topic', pubsub: 'pubsub', topic: 'orders.order.status_changed' },
  events: [event],
  ordering: { key: '/order_id', sequence: '/sequence' },
};

describe('uuidv7', () => {
  it.each([
    [0, new Uint8Array(10)],
    [1_795_441_830_412, new Uint8Array(10).fill(255)],
    [281_474_976_710_655, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])],
  ])('at %d is a version-7 UUID whose first 48 bits are the time', (now, random) => {
    const id = uuidv7(now, random);
    expect(id).toMatch(UUIDV7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('refuses too few random bytes', () => {
    expect(() => uuidv7(0, new Uint8Array(4))).toThrow(/10 random bytes/);
  });
});

describe('envelope and CloudEvent', () => {
  const now = Date.UTC(2026, 0, 30, 10, 30);
  const ids = {
    eventId: uuidv7(now, new Uint8Array(10).fill(7)),
    correlationId: uuidv7(now, new Uint8Array(10).fill(9)),
  };
  const envelope = envelopeFor(publication, event, { order_id: 'ORD-1', sequence: 3 }, ids, now);

  it('builds an envelope the runtime accepts, timestamped at the time inside its id', () => {
    expect(parseEnvelope(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
    expect(envelope.timestamp).toBe('2026-01-30T10:30:00.000Z');
  });

  it("maps it to a CloudEvent that the runtime's decoder turns back into the same envelope", () => {
    expect(fromCloudEvent(JSON.parse(JSON.stringify(cloudEventOf(envelope))))).toEqual(envelope);
  });
});

describe('payloadFor', () => {
  const run = { tag: runTag(Date.UTC(2026, 0, 30)), keys: 3 };

  it('spreads an ordered channel over keys, each with the gap-free sequence 1, 2, 3 ...', () => {
    const sent = Array.from({ length: 9 }, (_, i) => payloadFor(publication, event, i, run));
    const byKey = new Map<string, number[]>();
    for (const { data, partitionKey } of sent) {
      const { order_id, sequence } = data as { order_id: string; sequence: number };
      expect(partitionKey).toBe(order_id);
      byKey.set(order_id, [...(byKey.get(order_id) ?? []), sequence]);
    }
    expect([...byKey.values()]).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    for (const key of byKey.keys()) expect(key).toMatch(new RegExp(`^ORD-1${run.tag}[0-2]$`));
  });

  it('gives another run other keys and leaves the example untouched', () => {
    const before = structuredClone(event.example);
    const a = payloadFor(publication, event, 0, run).partitionKey;
    const b = payloadFor(publication, event, 0, { ...run, tag: runTag(Date.UTC(2026, 0, 31)) }).partitionKey;
    expect(a).not.toBe(b);
    expect(event.example).toEqual(before);
  });

  it('sends the example as it is on a channel without ordering', () => {
    const { ordering: _, ...unordered } = publication;
    expect(payloadFor(unordered, event, 5, run)).toEqual({ data: event.example });
  });
});
