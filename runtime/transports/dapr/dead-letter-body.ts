/**
 * The body of a dead letter the app publishes: the delivered CloudEvent plus the dead-letter attributes. A body
 * too deeply nested to serialise again (JSON.stringify overflows the stack long before JSON.parse does) still
 * gets a dead letter: its original bytes travel as `data_base64`, with the attributes that are plain strings,
 * so every event reaches a final outcome and nothing of it is lost.
 */
const COPIED = [
  'specversion',
  'id',
  'type',
  'source',
  'time',
  'subject',
  'traceparent',
  'tracestate',
  'traceid',
];

export function deadLetterBody(
  original: Buffer,
  cloudEvent: Record<string, unknown>,
  attributes: Readonly<Record<string, string | number>>,
): Buffer {
  try {
    return Buffer.from(JSON.stringify({ ...cloudEvent, ...attributes }));
  } catch {
    const kept: Record<string, unknown> = {};
    for (const name of COPIED) if (typeof cloudEvent[name] === 'string') kept[name] = cloudEvent[name];
    return Buffer.from(
      JSON.stringify({
        specversion: '1.0',
        ...kept,
        ...attributes,
        datacontenttype: 'application/cloudevents+json',
        data_base64: original.toString('base64'),
      }),
    );
  }
}
