import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADER } from '../../headers.ts';
import type { Delivery, Outcome } from '../../transport.ts';
import { RedisStreamsPublishError } from './publisher.ts';
import {
  message,
  pendingCount,
  redisFixture,
  subscriptionSpec,
  uniqueName,
  waitFor,
} from './test-support.ts';

const fixture = redisFixture();
afterEach(() => fixture.cleanup());
afterAll(() => fixture.close());

describe('Redis Streams transport: delivery', () => {
  it('delivers published messages with their body, headers, attempt 1 and address', async () => {
    const topic = uniqueName('roundtrip');
    fixture.track(topic);
    const transport = fixture.transport();
    const received: Delivery[] = [];
    await transport.subscribe(subscriptionSpec(topic), async (delivery) => {
      received.push(delivery);
      return { kind: 'ack' };
    });
    const sent = [message(topic, 1, { traceparent: '00-abc-def-01' }), message(topic, 2)];
    await transport.publish(sent);

    await waitFor(() => received.length === 2);
    const byBody = new Map(received.map((delivery) => [delivery.body.toString(), delivery]));
    for (const outgoing of sent) {
      const delivery = byBody.get(outgoing.body.toString());
      expect(delivery, `delivery of ${outgoing.eventId}`).toBeDefined();
      expect(delivery!.headers).toEqual(outgoing.headers);
      expect(delivery!.attempt).toBe(1);
      expect(delivery!.address).toBe(topic);
      expect(delivery!.id).toMatch(/^\d+-\d+$/);
    }
  });

  it('acknowledges only after an ack outcome: a throwing or retrying handler leaves the entry pending', async () => {
    const topic = uniqueName('pending');
    fixture.track(topic, `${topic}:dlq`);
    const transport = fixture.transport();
    const base = subscriptionSpec(topic);
    // A long initial interval keeps the thrown delivery waiting instead of being retried during the test.
    const spec = { ...base, retry: { ...base.retry, initialIntervalMs: 60_000 } };
    const seen: string[] = [];
    await transport.subscribe(spec, async (delivery): Promise<Outcome> => {
      const { data } = JSON.parse(delivery.body.toString()) as { data: { index: number } };
      seen.push(String(data.index));
      if (data.index === 1) throw new Error('handler crashed');
      if (data.index === 2) return { kind: 'retry', delayMs: 60_000, error: 'not yet' };
      return { kind: 'ack' };
    });
    await transport.publish([message(topic, 1), message(topic, 2), message(topic, 3)]);

    await waitFor(() => seen.length === 3);
    // Give the ack of #3 time to land, then only #1 and #2 may still be pending.
    await waitFor(async () => (await pendingCount(fixture.raw, topic, spec.name)) === 2);
    const pending = (await fixture.raw.call('XPENDING', topic, spec.name, '-', '+', 10)) as unknown[][];
    expect(pending.map((entry) => entry[3])).toEqual([1, 1]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toHaveLength(3);
    expect(await pendingCount(fixture.raw, topic, spec.name)).toBe(2);
  });

  it('counts attempts with the delivery counter and dead-letters with reason, attempts and original id', async () => {
    const topic = uniqueName('retry');
    const spec = subscriptionSpec(topic);
    fixture.track(topic, spec.deadLetter.address);
    const transport = fixture.transport();
    const attempts: number[] = [];
    await transport.subscribe(spec, async (delivery): Promise<Outcome> => {
      attempts.push(delivery.attempt);
      // What the pipeline does: retry with backoff until maxRetries, then dead-letter.
      if (delivery.attempt > spec.retry.maxRetries) {
        return { kind: 'dead-letter', reason: 'retries-exhausted', error: 'boom' };
      }
      return { kind: 'retry', delayMs: 10 * 2 ** delivery.attempt, error: 'boom' };
    });
    const outgoing = message(topic, 1, { traceparent: '00-1-2-01' });
    await transport.publish([outgoing]);

    await waitFor(async () => (await fixture.raw.xlen(spec.deadLetter.address)) === 1);
    expect(attempts).toEqual([1, 2, 3, 4]);
    const [original] = (await fixture.raw.xrange(topic, '-', '+')) as [string, string[]][];
    const [deadLetter] = (await fixture.raw.xrange(spec.deadLetter.address, '-', '+')) as [
      string,
      string[],
    ][];
    const fields = deadLetter![1];
    const record = Object.fromEntries(
      fields.flatMap((value, index) => (index % 2 === 0 ? [[value, fields[index + 1]]] : [])),
    );
    expect(JSON.parse(String(record.metadata))).toEqual({
      ...outgoing.headers,
      [DEAD_LETTER_HEADER.reason]: 'retries-exhausted',
      [DEAD_LETTER_HEADER.error]: 'boom',
      [DEAD_LETTER_HEADER.subscription]: spec.name,
      [DEAD_LETTER_HEADER.originalAddress]: topic,
      [DEAD_LETTER_HEADER.attempts]: '4',
    });
    expect(record).toMatchObject({
      data: outgoing.body.toString(),
      reason: 'retries-exhausted',
      error: 'boom',
      attempts: '4',
      original_id: original![0],
      original_stream: topic,
      consumer_group: spec.name,
    });
    expect(new Date(String(record.dead_lettered_at)).getTime()).not.toBeNaN();
    await waitFor(async () => (await pendingCount(fixture.raw, topic, spec.name)) === 0);
  });

  it('waits out the retry delay before redelivering', async () => {
    const topic = uniqueName('delay');
    fixture.track(topic);
    const transport = fixture.transport();
    const times: number[] = [];
    await transport.subscribe(subscriptionSpec(topic), async (delivery): Promise<Outcome> => {
      times.push(Date.now());
      return delivery.attempt === 1 ? { kind: 'retry', delayMs: 400, error: 'later' } : { kind: 'ack' };
    });
    await transport.publish([message(topic, 1)]);
    await waitFor(() => times.length === 2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(390);
  });

  it('never runs more handlers at once than the subscription concurrency', async () => {
    const topic = uniqueName('concurrency');
    fixture.track(topic);
    const transport = fixture.transport({ batchSize: 50 });
    let running = 0;
    let peak = 0;
    let done = 0;
    await transport.subscribe(subscriptionSpec(topic, { concurrency: 3 }), async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 15));
      running--;
      done++;
      return { kind: 'ack' };
    });
    await transport.publish(Array.from({ length: 30 }, (_, index) => message(topic, index)));
    await waitFor(() => done === 30);
    expect(peak).toBe(3);
  });

  it('reads ahead: holds up to batchSize entries waiting beyond the running handlers (Dapr queueDepth)', async () => {
    const topic = uniqueName('read-ahead');
    fixture.track(topic);
    const spec = subscriptionSpec(topic, { concurrency: 2 });
    const transport = fixture.transport({ batchSize: 3 });
    const { promise: gate, resolve: open } = Promise.withResolvers<void>();
    let started = 0;
    let done = 0;
    await transport.subscribe(spec, async () => {
      started++;
      await gate;
      done++;
      return { kind: 'ack' };
    });
    await transport.publish(Array.from({ length: 20 }, (_, index) => message(topic, index)));

    try {
      // 2 running + 3 read ahead while the handlers are blocked, and no more however long they stay blocked.
      await waitFor(async () => (await pendingCount(fixture.raw, topic, spec.name)) === 5, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await pendingCount(fixture.raw, topic, spec.name)).toBe(5);
      expect(started).toBe(2);
    } finally {
      open();
    }
    await waitFor(() => done === 20);
    await waitFor(async () => (await pendingCount(fixture.raw, topic, spec.name)) === 0);
  });

  it('trims streams approximately with MAXLEN ~', async () => {
    const topic = uniqueName('maxlen');
    fixture.track(topic);
    const transport = fixture.transport({ maxLenApprox: 100 });
    for (let batch = 0; batch < 10; batch++) {
      await transport.publish(Array.from({ length: 200 }, (_, index) => message(topic, batch * 200 + index)));
    }
    const length = await fixture.raw.xlen(topic);
    // Approximate trimming removes whole radix-tree nodes (100 entries by default), never below the limit.
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(400);
  });

  it('reports which events were not appended when Redis refuses a batch', async () => {
    const good = uniqueName('good');
    const broken = uniqueName('broken');
    fixture.track(good, broken);
    await fixture.raw.set(broken, 'not a stream');
    const transport = fixture.transport();
    const batch = [message(good, 1), message(broken, 2), message(good, 3), message(broken, 4)];
    const failure = await transport.publish(batch).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RedisStreamsPublishError);
    const { failures } = failure as RedisStreamsPublishError;
    expect(failures.map((entry) => entry.eventId)).toEqual([batch[1]!.eventId, batch[3]!.eventId]);
    expect(failures[0]!.error).toMatch(/WRONGTYPE/);
    expect(await fixture.raw.xlen(good)).toBe(2);

    // A batch of one (publishEvent) is a plain XADD: its failure names the event and the stream as well.
    const single = message(broken, 5);
    const alone = await transport.publish([single]).catch((error: unknown) => error);
    expect(alone).toBeInstanceOf(RedisStreamsPublishError);
    expect((alone as RedisStreamsPublishError).failures).toEqual([
      {
        eventId: single.eventId,
        stream: expect.stringContaining(broken),
        error: expect.stringMatching(/WRONGTYPE/),
      },
    ]);
  });

  it('refuses AMQP destinations with a message that says what to do', async () => {
    const transport = fixture.transport();
    await expect(
      transport.publish([
        {
          ...message('unused', 1),
          destination: { kind: 'amqp', exchange: 'mail', exchangeType: 'topic', routingKey: 'email.sent' },
        },
      ]),
    ).rejects.toThrow(/topic destinations only.*RabbitMQ transport/);
  });
});
