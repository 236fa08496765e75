import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../transport.ts';
import { entryFields } from './layout.ts';
import {
  message,
  pendingCount,
  redisFixture,
  redisUrl,
  subscriptionSpec,
  uniqueName,
  waitFor,
} from './test-support.ts';

const fixture = redisFixture();
afterEach(() => fixture.cleanup());
afterAll(() => fixture.close());

const fastRecovery = { processingTimeoutMs: 1_000, claimIntervalMs: 100, leaseRenewIntervalMs: 150 };

describe('Redis Streams transport: crash recovery and shutdown', () => {
  it("reclaims a crashed consumer's pending entries after processingTimeout, counting the attempt", async () => {
    const topic = uniqueName('crash');
    fixture.track(topic);
    const spec = subscriptionSpec(topic);
    const publisher = fixture.transport();
    await fixture.raw.call('XGROUP', 'CREATE', topic, spec.name, '0', 'MKSTREAM');
    await publisher.publish([message(topic, 1)]);
    // Consumer A reads the entry and dies without acknowledging it.
    await fixture.raw.call(
      'XREADGROUP',
      'GROUP',
      spec.name,
      'consumer-a',
      'COUNT',
      10,
      'STREAMS',
      topic,
      '>',
    );
    const readAt = Date.now();

    const received: { delivery: Delivery; at: number }[] = [];
    const consumerB = fixture.transport({ ...fastRecovery, consumerName: 'consumer-b' });
    await consumerB.subscribe(spec, async (delivery) => {
      received.push({ delivery, at: Date.now() });
      return { kind: 'ack' };
    });

    await waitFor(() => received.length === 1);
    expect(received[0]!.delivery.attempt).toBe(2);
    expect(received[0]!.at - readAt).toBeGreaterThanOrEqual(fastRecovery.processingTimeoutMs - 20);
    await waitFor(async () => (await pendingCount(fixture.raw, topic, spec.name)) === 0);
  });

  it('delivers an entry whose read reply its connection lost after the reconnect, not after processingTimeout', async () => {
    const topic = uniqueName('lost-reply');
    fixture.track(topic);
    const spec = subscriptionSpec(topic);
    // Each connection of this transport carries the name, so the test can find its blocked read.
    const connectionName = uniqueName('lost-reply-client').replaceAll(':', '-');
    const consumer = fixture.transport({
      processingTimeoutMs: 60_000,
      consumerName: 'lost-reply',
      redisOptions: { connectionName },
    });
    const received: Delivery[] = [];
    await consumer.subscribe(spec, async (delivery) => {
      received.push(delivery);
      return { kind: 'ack' };
    });
    await waitFor(async () => (await blockedRead(connectionName)) !== undefined);
    const reader = (await blockedRead(connectionName))!;
    // What a reset costs a reader: Redis served its read (the entry is pending under the consumer's name), the
    // reply never arrived, and the connection went. One transaction, so the blocked read cannot take the entry.
    const { body, headers } = message(topic, 1);
    await fixture.raw
      .multi()
      .xadd(topic, '*', ...entryFields(body, headers ?? {}))
      .xreadgroup('GROUP', spec.name, 'lost-reply', 'COUNT', 10, 'STREAMS', topic, '>')
      .client('KILL', 'ID', reader)
      .exec();

    // The consumer reconnects, finds the entry pending under its name and delivers it, counting the lost read.
    await waitFor(() => received.length === 1, 10_000);
    expect(received[0]!.attempt).toBe(2);
    await waitFor(async () => (await pendingCount(fixture.raw, topic, spec.name)) === 0);
  });

  it('stops without waiting out a read that ioredis sent again after a reconnect', async () => {
    const topic = uniqueName('stop-after-reconnect');
    fixture.track(topic);
    const spec = subscriptionSpec(topic);
    const connectionName = uniqueName('stop-client').replaceAll(':', '-');
    // A read blocks longer than this test may take: only CLIENT UNBLOCK with the new connection's id ends it.
    const consumer = fixture.transport({ blockMs: 120_000, redisOptions: { connectionName } });
    const handle = await consumer.subscribe(spec, async () => ({ kind: 'ack' }));
    await waitFor(async () => (await blockedRead(connectionName)) !== undefined);
    const first = (await blockedRead(connectionName))!;
    await fixture.raw.client('KILL', 'ID', first);
    await waitFor(async () => ![undefined, first].includes(await blockedRead(connectionName)));

    await handle.stop();
    expect(await blockedRead(connectionName)).toBeUndefined();
  });

  it('stops by its deadline when a CLIENT UNBLOCK never settles (ioredis loses one sent mid-handshake)', async () => {
    const topic = uniqueName('lost-unblock');
    fixture.track(topic);
    const spec = subscriptionSpec(topic);
    // The transport's command connection, with every CLIENT UNBLOCK lost as on a connection that closed while
    // shaking hands: its promise never settles.
    const client = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const call = client.call.bind(client) as (...args: unknown[]) => Promise<unknown>;
    client.call = ((...args: unknown[]) =>
      args[0] === 'CLIENT' && args[1] === 'UNBLOCK'
        ? new Promise(() => undefined)
        : call(...args)) as typeof client.call;
    try {
      const consumer = fixture.transport({ client, blockMs: 500 });
      const handle = await consumer.subscribe(spec, async () => ({ kind: 'ack' }));
      await handle.stop(); // never returned while the loop awaited the UNBLOCK
      expect(await pendingCount(fixture.raw, topic, spec.name)).toBe(0);
    } finally {
      client.disconnect();
    }
  });

  it('renews the lease of a slow handler so no other consumer takes its entry over', async () => {
    const topic = uniqueName('lease');
    fixture.track(topic);
    const spec = subscriptionSpec(topic);
    const deliveries: string[] = [];
    const slow = fixture.transport({ ...fastRecovery, consumerName: 'slow' });
    await slow.subscribe(spec, async () => {
      deliveries.push('slow');
      await new Promise((resolve) => setTimeout(resolve, fastRecovery.processingTimeoutMs * 3));
      return { kind: 'ack' };
    });
    const other = fixture.transport({ ...fastRecovery, consumerName: 'other' });
    await other.subscribe(spec, async () => {
      deliveries.push('other');
      return { kind: 'ack' };
    });

    await slow.publish([message(topic, 1)]);
    await waitFor(
      async () => deliveries.length === 1 && (await pendingCount(fixture.raw, topic, spec.name)) === 0,
    );
    expect(deliveries).toHaveLength(1);
  });

  it('keeps a backing-off entry leased, then lets another consumer retry it once its owner stops', async () => {
    const topic = uniqueName('handover');
    fixture.track(topic);
    const spec = subscriptionSpec(topic);
    const attempts: { consumer: string; attempt: number }[] = [];
    const first = fixture.transport({ ...fastRecovery, consumerName: 'first' });
    const firstHandle = await first.subscribe(spec, async (delivery) => {
      attempts.push({ consumer: 'first', attempt: delivery.attempt });
      return { kind: 'retry', delayMs: 60_000, error: 'dependency down' };
    });
    await first.publish([message(topic, 1)]);
    await waitFor(() => attempts.length === 1);

    const second = fixture.transport({ ...fastRecovery, consumerName: 'second' });
    await second.subscribe(spec, async (delivery) => {
      attempts.push({ consumer: 'second', attempt: delivery.attempt });
      return { kind: 'ack' };
    });
    // Several processing timeouts pass: the lease holds while its owner lives.
    await new Promise((resolve) => setTimeout(resolve, fastRecovery.processingTimeoutMs * 3));
    expect(attempts).toEqual([{ consumer: 'first', attempt: 1 }]);

    await firstHandle.stop();
    await waitFor(() => attempts.length === 2);
    expect(attempts[1]).toEqual({ consumer: 'second', attempt: 2 });
  });

  it('stops gracefully: finishes in-flight work, acknowledges it and leaves the group tidy', async () => {
    const topic = uniqueName('stop');
    fixture.track(topic);
    const spec = subscriptionSpec(topic, { concurrency: 5 });
    const transport = fixture.transport({ consumerName: 'stopping' });
    let started = 0;
    let finished = 0;
    const handle = await transport.subscribe(spec, async () => {
      started++;
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished++;
      return { kind: 'ack' };
    });
    await transport.publish(Array.from({ length: 20 }, (_, index) => message(topic, index)));
    await waitFor(() => started >= 5);

    await handle.stop();
    expect(finished).toBe(started);
    expect(await pendingCount(fixture.raw, topic, spec.name)).toBe(0);
    const consumers = (await fixture.raw.call('XINFO', 'CONSUMERS', topic, spec.name)) as unknown[];
    expect(consumers).toHaveLength(0);
    // Entries never read stay in the stream for the next consumer.
    expect(await groupLag(topic, spec.name)).toBe(20 - started);
  });
});

/** The client id of the connection named `name` blocked in XREADGROUP, if any. */
async function blockedRead(name: string): Promise<string | undefined> {
  const list = String(await fixture.raw.call('CLIENT', 'LIST'));
  const line = list
    .split('\n')
    .find((row) => row.includes(` name=${name} `) && row.includes('cmd=xreadgroup'));
  return line?.match(/\bid=(\d+)/)?.[1];
}

/** XINFO GROUPS `lag`: entries not yet delivered to the group (Redis >= 7). */
async function groupLag(stream: string, group: string): Promise<number> {
  const groups = (await fixture.raw.call('XINFO', 'GROUPS', stream)) as unknown[][];
  const fields = groups.find((candidate) => candidate[1] === group) ?? [];
  return Number(fields[fields.indexOf('lag') + 1]);
}
