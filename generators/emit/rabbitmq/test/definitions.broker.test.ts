/**
 * The generated definitions against the real RabbitMQ: imported as they are into a fresh vhost, they route each
 * identity event to exactly the queues the contracts name, walk a failing message through the 1 s / 2 s / 4 s
 * delay queues into `email.errors`, and equal what the runtime declares into another fresh vhost.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ConfirmChannel, type ChannelModel, connect, type GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery, Outcome } from '../../../../runtime/transport.ts';
import {
  createRabbitMqTransport,
  HEADER,
  type RabbitMqTransport,
  retryDelays,
  routeMessage,
  topologyFromSpecs,
} from '../../../../runtime/transports/rabbitmq/index.ts';
import {
  createTestVhost,
  deleteVhost,
  grantGuest,
  importDefinitions,
  listTopology,
  randomVhostName,
  type TestVhost,
  vhostUrl,
  waitFor,
} from '../../../../runtime/transports/rabbitmq/test/broker.ts';
import { rabbitmqDefinitionsPlugin } from '../index.ts';
import { amqpSpecsFromModel } from '../specs.ts';
import { identitySubscriptionSpecs } from './identity-specs.ts';
import { EXPECTED_ROUTES, IDENTITY_ROUTING_KEYS, identityModel } from './identity.fixture.ts';

const imported = randomVhostName('imported');
let declared: TestVhost;
let tmp: string;
let amqp: ChannelModel;
let channel: ConfirmChannel;
const transports: RabbitMqTransport[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'eventwire-rabbitmq-'));
  // The broker node reads the file itself, as its own user.
  await chmod(tmp, 0o755);
  const [file] = await rabbitmqDefinitionsPlugin.emit(identityModel(imported), { outDir: '..' });
  const definitionsFile = path.join(tmp, 'definitions.json');
  await writeFile(definitionsFile, file!.contents, { mode: 0o644 });
  // The file creates the vhost itself; permissions belong to the deployment, so the test grants them after.
  await importDefinitions(definitionsFile);
  await waitFor('the imported vhost', async () =>
    (await listVhosts()).includes(imported) ? true : undefined,
  );
  await grantGuest(imported);
  const expectedQueues = topologyFromSpecs(amqpSpecsFromModel(identityModel(imported))).queues.length;
  await waitFor('the imported queues', async () =>
    (await listTopology(imported)).queues.length === expectedQueues ? true : undefined,
  );
  amqp = await connect(vhostUrl(imported));
  channel = await amqp.createConfirmChannel();
  declared = await createTestVhost('declared');
}, 120_000);

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await amqp?.close().catch(() => {});
  await deleteVhost(imported);
  await declared?.dispose();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function listVhosts(): Promise<string[]> {
  const { rabbitmqctl } = await import('../../../../runtime/transports/rabbitmq/test/broker.ts');
  return (await rabbitmqctl('list_vhosts', '--quiet', '--no-table-headers')).split('\n').map((l) => l.trim());
}

async function drain(queue: string): Promise<GetMessage[]> {
  const messages: GetMessage[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) return messages;
    messages.push(message);
  }
}

describe('generated RabbitMQ definitions on the real broker', () => {
  it('give the same exchanges, queues and bindings as the runtime declaration', async () => {
    const topology = topologyFromSpecs(amqpSpecsFromModel(identityModel(declared.name)));
    const transport = await createRabbitMqTransport({ url: declared.url, topology });
    transports.push(transport);
    const [fromImport, fromRuntime] = await Promise.all([
      listTopology(imported),
      listTopology(declared.name),
    ]);
    // The listing carries what matters (type, arguments), so equal listings mean equal behaviour.
    expect(fromImport.queues).toContainEqual({
      name: 'smtp_send_email_v2.retry.2',
      type: 'quorum',
      durable: true,
      auto_delete: false,
      arguments: {
        'x-dead-letter-exchange': 'smtp_send_email_v2.retry',
        'x-dead-letter-routing-key': 'smtp_send_email_v2',
        'x-dead-letter-strategy': 'at-least-once',
        'x-message-ttl': 2000,
        'x-overflow': 'reject-publish',
        'x-queue-type': 'quorum',
      },
    });
    expect(fromImport.bindings.length).toBe(topology.bindings.length);
    expect(fromRuntime).toEqual(fromImport);
  });

  it('route every identity routing key to exactly the queues the contracts name', async () => {
    const topology = topologyFromSpecs(amqpSpecsFromModel(identityModel(imported)));
    for (const key of IDENTITY_ROUTING_KEYS) {
      channel.publish('smap.events', key, Buffer.from('{}'), { messageId: key, persistent: true });
    }
    await channel.waitForConfirms();
    const received: Record<string, string[]> = {};
    for (const queue of topology.queues) {
      for (const message of await drain(queue.name)) {
        const key = String(message.properties.messageId);
        received[key] = [...(received[key] ?? []), queue.name];
      }
    }
    for (const key of IDENTITY_ROUTING_KEYS) {
      expect({ key, queues: (received[key] ?? []).sort() }).toEqual({
        key,
        queues: [...EXPECTED_ROUTES[key]],
      });
      // The offline router agrees with the broker.
      expect(routeMessage(topology, imported, 'smap.events', key)).toEqual([...EXPECTED_ROUTES[key]]);
    }
  });

  it('deliver a dual-published event to the legacy fanout exchange and the topic exchange in one batch', async () => {
    const { queue: legacy } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(legacy, 'smtp_send_email_exc', '');
    const transport = await createRabbitMqTransport({ url: vhostUrl(imported) });
    transports.push(transport);
    const body = Buffer.from('{"data":{}}');
    const base = {
      eventId: 'dual-1',
      eventType: 'email.verification.requested',
      body,
      contentType: 'application/json',
    };
    await transport.publish([
      {
        ...base,
        headers: {},
        destination: {
          kind: 'amqp',
          exchange: 'smap.events',
          exchangeType: 'topic',
          routingKey: 'email.verification.requested',
        },
      },
      {
        ...base,
        headers: {},
        destination: {
          kind: 'amqp',
          exchange: 'smtp_send_email_exc',
          exchangeType: 'fanout',
          routingKey: 'email.verification.requested',
        },
      },
    ]);
    expect((await drain(legacy)).map((m) => m.properties.messageId)).toEqual(['dual-1']);
    expect((await drain('smtp_send_email_v2')).map((m) => m.properties.messageId)).toEqual(['dual-1']);
  });

  it('dead-letter a message the broker rejects into email.errors through the work queue arguments', async () => {
    channel.publish('smap.events', 'email.rejected', Buffer.from('{}'), {
      messageId: 'rejected-1',
      persistent: true,
    });
    await channel.waitForConfirms();
    const message = await waitFor('the message in the work queue', async () => {
      const m = await channel.get('smtp_send_email_v2');
      return m === false ? undefined : m;
    });
    channel.nack(message, false, false);
    const dead = await waitFor('the rejected message in email.errors', async () => {
      const m = await channel.get('email.errors', { noAck: true });
      return m === false ? undefined : m;
    });
    expect(dead.properties.messageId).toBe('rejected-1');
    expect(dead.properties.headers?.['x-first-death-reason']).toBe('rejected');
  });

  it('walk a failing message through the delay queues (1 s, 2 s, 4 s) into email.errors with reason and attempts', async () => {
    const [spec] = identitySubscriptionSpecs(imported).filter((s) => s.queue?.name === 'smtp_send_email_v2');
    const delays = retryDelays(spec!.retry);
    expect(delays).toEqual([1000, 2000, 4000]);
    // The transport asserts its topology into the imported vhost: any difference would fail with 406 here.
    const transport = await createRabbitMqTransport({ url: vhostUrl(imported) });
    transports.push(transport);
    const seen: { attempt: number; at: number; address: string }[] = [];
    // Plays the pipeline's part: retry with the contract's delay until maxRetries, then dead-letter.
    const handler = async (delivery: Delivery): Promise<Outcome> => {
      seen.push({ attempt: delivery.attempt, at: performance.now(), address: delivery.address });
      if (delivery.attempt <= spec!.retry.maxRetries) {
        return {
          kind: 'retry',
          delayMs: delays[delivery.attempt - 1]!,
          error: `smtp down (attempt ${delivery.attempt})`,
        };
      }
      return { kind: 'dead-letter', reason: 'retries-exhausted', error: 'smtp down for good' };
    };
    const handle = await transport.subscribe(spec!, handler);
    channel.publish('smap.events', 'email.verification.requested', Buffer.from('{"n":1}'), {
      messageId: 'walk-1',
      persistent: true,
      headers: { traceparent: '00-abc-def-01' },
    });
    await channel.waitForConfirms();
    const dead = await waitFor(
      'the message in email.errors',
      async () => {
        const m = await channel.get('email.errors', { noAck: true });
        return m === false ? undefined : m;
      },
      30_000,
    );
    await handle.stop();

    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3, 4]);
    expect(new Set(seen.map((s) => s.address))).toEqual(new Set(['email.verification.requested']));
    const gaps = seen.slice(1).map((s, i) => s.at - seen[i]!.at);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(delays[i]! - 50);
      expect(gap).toBeLessThan(delays[i]! + 1500);
    });
    const headers = dead.properties.headers ?? {};
    expect(dead.properties.messageId).toBe('walk-1');
    expect(dead.content.toString()).toBe('{"n":1}');
    expect(headers[HEADER.deadLetterReason]).toBe('retries-exhausted');
    expect(headers[HEADER.deadLetterAttempts]).toBe(4);
    expect(headers[HEADER.originalRoutingKey]).toBe('email.verification.requested');
    expect(headers[HEADER.originalExchange]).toBe('smap.events');
    expect(headers[HEADER.deadLetterError]).toBe('smtp down for good');
    expect(headers[HEADER.deadLetterSubscription]).toBe('smtp-send-email');
    expect(headers.traceparent).toBe('00-abc-def-01');
    // Nothing is left behind or leaked to the other subscriber.
    for (const queue of ['smtp_send_email_v2', 'analytics.subscriptions', 'email.errors']) {
      expect({ queue, left: (await drain(queue)).length }).toEqual({ queue, left: 0 });
    }
    console.info(`retry gaps (ms): ${gaps.map((g) => g.toFixed(0)).join(', ')}`);
  }, 60_000);
});
