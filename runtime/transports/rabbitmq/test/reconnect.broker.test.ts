/**
 * Connection loss mid-stream, forced by the broker (`rabbitmqctl close_all_connections`): every publish call still
 * resolves, every confirmed message is in the queue, consumers come back, and a delivery interrupted by the loss is
 * redelivered with the next attempt number.
 */
import { connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionSpec } from '../../../spec.ts';
import type { Delivery, OutgoingMessage } from '../../../transport.ts';
import { createRabbitMqTransport, type RabbitMqTransport, type RabbitTransportEvent } from '../index.ts';
import { createTestVhost, rabbitmqctl, type TestVhost, waitFor, workSpec } from './broker.ts';

let vhost: TestVhost;
const events: RabbitTransportEvent[] = [];
let transport: RabbitMqTransport;

beforeAll(async () => {
  vhost = await createTestVhost('reconnect');
  transport = await createRabbitMqTransport({
    url: vhost.url,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    onEvent: (event) => events.push(event),
  });
});

afterAll(async () => {
  await transport?.close();
  await vhost?.dispose();
});

const disconnects = () => events.filter((e) => e.type === 'disconnected').length;

async function closeAllConnections(): Promise<void> {
  const before = disconnects();
  await rabbitmqctl('close_all_connections', '-p', vhost.name, 'eventwire reconnect test');
  await waitFor('the transport to notice', async () => (disconnects() > before ? true : undefined));
}

function spec(name: string): SubscriptionSpec {
  const retry = {
    maxRetries: 2,
    backoff: 'fixed-delays',
    initialIntervalMs: 100,
    maxIntervalMs: 100,
  } as const;
  return workSpec(name, {
    eventTypes: [],
    retry: { ...retry, multiplier: 1, delaysMs: [100] },
    concurrency: 20,
    queue: { name: `${name}.work`, type: 'quorum', durable: true, prefetch: 50 },
  });
}

function message(name: string, id: string): OutgoingMessage {
  return {
    destination: { kind: 'amqp', exchange: 'events', exchangeType: 'topic', routingKey: `${name}.happened` },
    eventId: id,
    eventType: `${name}.happened`,
    body: Buffer.from(JSON.stringify({ id })),
    contentType: 'application/json',
    headers: {},
  };
}

describe('RabbitMQ transport across connection loss', () => {
  it('resolves every publish and loses no confirmed message while the broker closes the connection twice', async () => {
    // Declare the queue first (a subscription that is stopped at once), so every message has somewhere to go.
    await (await transport.subscribe(spec('stream'), async () => ({ kind: 'ack' }))).stop();
    const published = new Set<string>();
    const startDisconnects = disconnects();
    let batch = 0;
    let batchesAfterLastClose = 0;
    const closer = (async () => {
      await waitFor('some confirmed batches', async () => (batch >= 5 ? true : undefined));
      await closeAllConnections();
      await waitFor('more confirmed batches', async () => (batch >= 15 ? true : undefined));
      await closeAllConnections();
    })();
    let closerDone = false;
    void closer.finally(() => (closerDone = true));
    while (!closerDone || batchesAfterLastClose < 5) {
      const ids = Array.from({ length: 200 }, (_, i) => `b${batch}-${i}`);
      await transport.publish(ids.map((id) => message('stream', id)));
      for (const id of ids) published.add(id);
      batch++;
      if (closerDone) batchesAfterLastClose++;
    }
    await closer;
    expect(disconnects() - startDisconnects).toBe(2);

    const reader = await connect(vhost.url);
    const channel = await reader.createChannel();
    const { messageCount: copies } = await channel.checkQueue('stream.work');
    const found = new Set<string>();
    let read = 0;
    await channel.consume(
      'stream.work',
      (m) => {
        if (m === null) return;
        found.add(String(m.properties.messageId));
        read++;
      },
      { noAck: true },
    );
    await waitFor('every copy read', async () => (read >= copies ? true : undefined), 60_000);
    await reader.close();
    const missing = [...published].filter((id) => !found.has(id));
    expect(missing).toEqual([]);
    console.info(
      `published ${published.size} in ${batch} batches; ${copies - found.size} duplicate(s) from resends`,
    );
  }, 120_000);

  it('keeps consuming after the connection is lost and handles every message', async () => {
    const seen = new Set<string>();
    let lost = false;
    const handle = await transport.subscribe(spec('consume'), async (delivery: Delivery) => {
      const id = JSON.parse(delivery.body.toString()).id as string;
      // After the first 50, handlers wait for the connection loss, so it always happens mid-stream.
      if (seen.size >= 50) await waitFor('the connection loss', async () => (lost ? true : undefined));
      seen.add(id);
      return { kind: 'ack' };
    });
    const ids = Array.from({ length: 500 }, (_, i) => `c-${i}`);
    await transport.publish(ids.map((id) => message('consume', id)));
    await waitFor('some handled', async () => (seen.size >= 50 ? true : undefined));
    const connectsBefore = events.filter((e) => e.type === 'connected').length;
    await closeAllConnections();
    lost = true;
    expect(seen.size).toBeLessThan(ids.length);
    await waitFor('every message handled', async () => (seen.size === ids.length ? true : undefined), 60_000);
    await handle.stop();
    expect(events.filter((e) => e.type === 'connected').length).toBeGreaterThan(connectsBefore);
  }, 90_000);

  it('redelivers a delivery interrupted by the loss with the next attempt number', async () => {
    const attempts: number[] = [];
    let interrupted!: () => void;
    const inHandler = new Promise<void>((resolve) => (interrupted = resolve));
    const handle = await transport.subscribe(spec('interrupted'), async (delivery) => {
      attempts.push(delivery.attempt);
      if (attempts.length === 1) {
        // Still working when the connection goes: the outcome has no channel left to be acknowledged on.
        const before = disconnects();
        interrupted();
        await waitFor('the disconnect', async () => (disconnects() > before ? true : undefined));
      }
      return { kind: 'ack' };
    });
    await transport.publish([message('interrupted', 'i-1')]);
    await inHandler;
    await closeAllConnections();
    await waitFor('the redelivery', async () => (attempts.length >= 2 ? true : undefined), 30_000);
    await handle.stop();
    expect(attempts).toEqual([1, 2]);
  }, 60_000);

  it('stops and closes promptly while the broker is unreachable', async () => {
    const doomed = await createTestVhost('doomed');
    const local: RabbitTransportEvent[] = [];
    const lonely = await createRabbitMqTransport({
      url: doomed.url,
      publishTimeoutMs: 1000,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      onEvent: (event) => local.push(event),
    });
    const handle = await lonely.subscribe(spec('lonely'), async () => ({ kind: 'ack' }));
    // Deleting the vhost closes the connection, and every reconnect attempt fails from then on.
    await doomed.dispose();
    await waitFor('a failed reconnect', async () =>
      local.filter((e) => e.type === 'reconnect-scheduled').length >= 2 ? true : undefined,
    );
    await expect(lonely.publish([message('lonely', 'never')])).rejects.toThrow(
      /not confirmed within 1000 ms/,
    );
    const started = performance.now();
    await handle.stop();
    await lonely.close();
    expect(performance.now() - started).toBeLessThan(2000);
  }, 60_000);
});
