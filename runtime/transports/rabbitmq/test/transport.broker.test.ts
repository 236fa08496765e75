/** The RabbitMQ transport against the real broker: publish, consume, prefetch, graceful stop, declaration errors. */
import { type ChannelModel, connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery, OutgoingMessage } from '../../../transport.ts';
import {
  createRabbitMqTransport,
  PublishError,
  type RabbitMqTransport,
  TopologyDeclarationError,
} from '../index.ts';
import {
  createTestVhost,
  listTopology,
  readyCount as readyCountOf,
  type TestVhost,
  waitFor,
  workSpec,
} from './broker.ts';

let vhost: TestVhost;
let transport: RabbitMqTransport;
let raw: ChannelModel;

beforeAll(async () => {
  vhost = await createTestVhost('transport');
  transport = await createRabbitMqTransport({ url: vhost.url, connectionName: 'transport-test' });
  raw = await connect(vhost.url);
});

afterAll(async () => {
  await transport?.close();
  await raw?.close().catch(() => {});
  await vhost?.dispose();
});

const spec = workSpec;

function message(name: string, i: number, key = `${name}.happened`): OutgoingMessage {
  return {
    destination: { kind: 'amqp', exchange: 'events', exchangeType: 'topic', routingKey: key },
    eventId: `${name}-${i}`,
    eventType: `${name}.happened`,
    body: Buffer.from(JSON.stringify({ i })),
    contentType: 'application/json',
    headers: { traceparent: `00-${i}`, correlation_id: 'c-1' },
    orderingKey: `k-${i % 3}`,
  };
}

const readyCount = (queue: string) => readyCountOf(raw, queue);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('RabbitMQ transport', () => {
  it('publishes a confirmed batch and delivers each message once with its headers, attempt and routing key', async () => {
    const received: Delivery[] = [];
    const handle = await transport.subscribe(spec('roundtrip'), async (delivery) => {
      received.push(delivery);
      return { kind: 'ack' };
    });
    await transport.publish([0, 1, 2].map((i) => message('roundtrip', i, `roundtrip.happened.${i}`)));
    await waitFor('three deliveries', async () => (received.length >= 3 ? true : undefined));
    await handle.stop();
    const byId = received.map((d) => JSON.parse(d.body.toString()).i).sort();
    expect(byId).toEqual([0, 1, 2]);
    const first = received.find((d) => JSON.parse(d.body.toString()).i === 1)!;
    expect(first.attempt).toBe(1);
    expect(first.address).toBe('roundtrip.happened.1');
    expect(first.headers).toMatchObject({
      traceparent: '00-1',
      correlation_id: 'c-1',
      'content-type': 'application/json',
      'x-eventwire-ordering-key': 'k-1',
    });
    expect(await readyCount('roundtrip.work')).toBe(0);
  });

  it('holds at most `prefetch` unacknowledged deliveries and runs at most `concurrency` handlers', async () => {
    let running = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handle = await transport.subscribe(
      spec('prefetch', {
        concurrency: 2,
        queue: { name: 'prefetch.work', type: 'quorum', durable: true, prefetch: 3 },
      }),
      async () => {
        running++;
        peak = Math.max(peak, running);
        await gate;
        running--;
        return { kind: 'ack' };
      },
    );
    await transport.publish(Array.from({ length: 8 }, (_, i) => message('prefetch', i)));
    // Eight published, three handed out (prefetch), none acknowledged while the handlers wait: five stay ready.
    await waitFor('five ready messages', async () =>
      (await readyCount('prefetch.work')) === 5 ? true : undefined,
    );
    await sleep(300);
    expect(await readyCount('prefetch.work')).toBe(5);
    expect(peak).toBe(2);
    release();
    await waitFor('an empty queue', async () =>
      (await readyCount('prefetch.work')) === 0 ? true : undefined,
    );
    await handle.stop();
    // Stopping closes the channel, which would return anything left unacknowledged to the queue.
    await sleep(300);
    expect(await readyCount('prefetch.work')).toBe(0);
  });

  it('stops gracefully: in-flight handlers finish and are acknowledged, nothing new starts, the rest stays queued', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const handle = await transport.subscribe(
      spec('stop', {
        concurrency: 2,
        queue: { name: 'stop.work', type: 'quorum', durable: true, prefetch: 4 },
      }),
      async (delivery) => {
        const i = JSON.parse(delivery.body.toString()).i as number;
        started.push(i);
        await sleep(700);
        finished.push(i);
        return { kind: 'ack' };
      },
    );
    await transport.publish(Array.from({ length: 6 }, (_, i) => message('stop', i)));
    await waitFor('two handlers running', async () => (started.length === 2 ? true : undefined));
    await handle.stop();
    expect(finished.sort()).toEqual(started.sort());
    expect(started).toHaveLength(2);
    // Queue-declare-ok counts ready messages exactly; unacknowledged ones would not be counted.
    await waitFor('four messages back in the queue', async () =>
      (await readyCount('stop.work')) === 4 ? true : undefined,
    );
    await sleep(300);
    expect(started).toHaveLength(2);
  });

  it('retries a handler that throws through the delay queue, then dead-letters it', async () => {
    const attempts: number[] = [];
    const handle = await transport.subscribe(spec('throws'), async (delivery) => {
      attempts.push(delivery.attempt);
      throw new Error('handler bug');
    });
    await transport.publish([message('throws', 1)]);
    const channel = await raw.createChannel();
    const dead = await waitFor('the dead letter', async () => {
      const m = await channel.get('throws.errors', { noAck: true });
      return m === false ? undefined : m;
    });
    await handle.stop();
    await channel.close();
    expect(attempts).toEqual([1, 2]);
    expect(dead.properties.headers?.['x-eventwire-dead-letter-reason']).toBe('retries-exhausted');
    expect(dead.properties.headers?.['x-eventwire-dead-letter-error']).toBe('handler bug');
    // Event id, type and correlation id ride in AMQP's own properties, through the retry loop to the DLQ.
    expect(dead.properties).toMatchObject({
      messageId: 'throws-1',
      type: 'throws.happened',
      correlationId: 'c-1',
    });
    expect(Object.keys(dead.properties.headers ?? {})).not.toContain('correlation_id');
  });

  it('works a queue of the default exchange: published with the queue name as key, retried, then delivered', async () => {
    const name = 'direct-work';
    const direct = { kind: 'amqp', exchange: '', exchangeType: 'direct', routingKey: name } as const;
    const attempts: number[] = [];
    const handle = await transport.subscribe(
      spec(name, { source: direct, queue: { name, type: 'quorum', durable: true, prefetch: 10 } }),
      async (delivery) => {
        attempts.push(delivery.attempt);
        if (delivery.attempt === 1) throw new Error('first attempt fails');
        return { kind: 'ack' };
      },
    );
    await transport.publish([{ ...message(name, 1), destination: direct }]);
    await waitFor('the retried delivery', async () => (attempts.length >= 2 ? true : undefined));
    await handle.stop();
    expect(attempts).toEqual([1, 2]);
    // The broker refuses to declare or bind the default exchange: getting here means neither was tried.
    expect(await readyCount(name)).toBe(0);
  });

  it('refuses a default-exchange subscription whose queue is not named by the routing key', async () => {
    const direct = { kind: 'amqp', exchange: '', exchangeType: 'direct', routingKey: 'jobs' } as const;
    const wrong = spec('jobs-elsewhere', { source: direct });
    await expect(transport.subscribe(wrong, async () => ({ kind: 'ack' }))).rejects.toThrow(
      /consumes queue 'jobs-elsewhere\.work' from the default exchange.*\n {2}fix: name the queue 'jobs'/s,
    );
  });

  it('refuses a subscription whose queue exists with other arguments, saying how to fix it', async () => {
    const channel = await raw.createChannel();
    await channel.assertQueue('conflict.work', { durable: true });
    await channel.close();
    const error = await transport
      .subscribe(spec('conflict'), async () => ({ kind: 'ack' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyDeclarationError);
    expect(String((error as Error).message)).toMatch(/queue 'conflict.work'.*inequivalent arg.*\n {2}fix: /s);
    // The failed declaration did not break the transport.
    await transport.publish([message('roundtrip', 99)]);
  });

  it('fails a publish at once when the destination exchange exists with another type', async () => {
    const channel = await raw.createChannel();
    await channel.assertExchange('typed', 'fanout', { durable: true });
    await channel.close();
    const wrong: OutgoingMessage = {
      ...message('typed', 1),
      destination: { kind: 'amqp', exchange: 'typed', exchangeType: 'topic', routingKey: 'typed.x' },
    };
    const started = performance.now();
    const error = await transport.publish([wrong]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyDeclarationError);
    expect(String((error as Error).message)).toMatch(/exchange 'typed'.*inequivalent arg 'type'/s);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('publishes to a transient exchange the contract declares transient, and refuses to redeclare it durable', async () => {
    const channel = await raw.createChannel();
    await channel.assertExchange('transient', 'topic', { durable: false, autoDelete: false });
    await channel.assertQueue('transient.seen', { durable: false });
    await channel.bindQueue('transient.seen', 'transient', '#');
    await channel.close();
    const destination = {
      kind: 'amqp',
      exchange: 'transient',
      exchangeType: 'topic',
      routingKey: 'transient.x',
    } as const;
    await transport.publish([
      { ...message('transient', 1), destination: { ...destination, durable: false } },
    ]);
    expect(await readyCount('transient.seen')).toBe(1);
    // The same exchange spoken of as durable (the default) is a different exchange to the broker.
    const other = await createRabbitMqTransport({ url: vhost.url, connectionName: 'transport-test-durable' });
    try {
      const error = await other
        .publish([{ ...message('transient', 2), destination }])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TopologyDeclarationError);
      expect(String((error as Error).message)).toMatch(/exchange 'transient'.*inequivalent arg 'durable'/s);
    } finally {
      await other.close();
    }
  });

  it('prepares publishing before the first event: the exchange exists, and publishing needs no more set-up', async () => {
    const destination = {
      kind: 'amqp',
      exchange: 'prepared-events',
      exchangeType: 'topic',
      routingKey: 'prepared.happened',
    } as const;
    // A failed check closes its channel: the broker's 404 is that channel's end, not an error of the test.
    const check = await raw.createChannel();
    check.on('error', () => {});
    await expect(check.checkExchange('prepared-events')).rejects.toThrow(/NOT_FOUND/);
    await transport.preparePublishing([destination]);
    const after = await raw.createChannel();
    await expect(after.checkExchange('prepared-events')).resolves.toBeDefined();
    await after.close();
    await expect(
      transport.preparePublishing([{ kind: 'topic', pubsub: 'pubsub', topic: 'orders' }]),
    ).rejects.toThrow(/only to AMQP exchanges, got a 'topic' destination/);
    await transport.publish([{ ...message('prepared', 1), destination }]);
  });

  it('rejects a message for another transport kind before sending anything', async () => {
    const topic: OutgoingMessage = {
      ...message('x', 1),
      destination: { kind: 'topic', pubsub: 'pubsub', topic: 't' },
    };
    await expect(transport.publish([message('x', 0), topic])).rejects.toBeInstanceOf(PublishError);
  });

  it('declares only what it was asked to: no stray objects in the vhost', async () => {
    const names = (await listTopology(vhost.name)).exchanges.map((e) => String(e.name));
    expect(names).toContain('events');
    // `typed`, `transient` and `prepared-events` were made by the tests themselves; everything else is the events
    // exchange or a subscription's own.
    const made = new Set(['events', 'typed', 'transient', 'prepared-events']);
    expect(names.filter((n) => !made.has(n) && !/\.(retry|dlx)$/.test(n))).toEqual([]);
  });
});
