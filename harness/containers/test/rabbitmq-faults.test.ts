/**
 * Broker-level faults against the runtime's RabbitMQ transport, with RabbitMQ in a container: the identity API
 * publishes email.verification.requested to smap.events, the generated SMTP worker consumes smtp_send_email_v2
 * (a quorum queue, as the contract says). A crash restart mid-stream, a frozen broker and a reset connection:
 * each test proves the fault reached the client, then that every confirmed publish was handled.
 */
import { connect } from 'amqplib';
import { RedisIdempotencyStore, type Runtime } from 'eventwire/runtime';
import {
  createRabbitMqTransport,
  type RabbitMqTransport,
  type RabbitTransportEvent,
} from 'eventwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIdentityPublisher,
  type EmailVerificationRequested,
  startIdentityConsumer,
  subscriptions,
} from '../../../generated/identity/index.ts';
import { HandlerLog } from '../../support/handler-log.ts';
import { emailVerificationRequested } from '../../support/identity-fixtures.ts';
import { until } from '../../support/poll.ts';
import { RedisNamespace } from '../../support/redis.ts';
import { uniqueTag } from '../../support/tags.ts';
import type { ContainerBroker } from '../broker.ts';
import { dockerEngine } from '../engine.ts';
import { startRabbitMQ } from '../rabbitmq.ts';
import { track } from './track.ts';

const WORK_QUEUE = subscriptions.onEmailEvent.queue.name;

let broker: ContainerBroker;
const redis = new RedisNamespace('containers-rabbitmq');
const connection = redis.connection();
const emails = new HandlerLog<EmailVerificationRequested>();
const transports: RabbitMqTransport[] = [];
const workerEvents: RabbitTransportEvent[] = [];
let api: Runtime;
let stopWorker: () => Promise<void>;
/** Event ids the broker confirmed. */
const confirmed: string[] = [];

beforeAll(async () => {
  broker = await startRabbitMQ();
  const idempotency = new RedisIdempotencyStore(connection, { prefix: `${redis.prefix}idem:` });
  const transport = async (name: string, onEvent?: (event: RabbitTransportEvent) => void) => {
    const opened = await createRabbitMqTransport({
      url: broker.url,
      connectionName: name,
      publishTimeoutMs: 60_000,
      reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 },
      ...(onEvent ? { onEvent } : {}),
    });
    transports.push(opened);
    return opened;
  };
  const worker: Runtime = {
    service: { name: 'identity', version: '4.0.2' },
    transport: await transport('identity-smtp-worker', (event) => workerEvents.push(event)),
    idempotency,
  };
  api = {
    service: { name: 'identity', version: '4.0.2' },
    transport: await transport('identity-api'),
    idempotency,
    env: { ENABLE_DUAL_PUBLISH: 'false' },
  };
  const consumer = await startIdentityConsumer(worker, { onEmailEvent: emails.handle });
  stopWorker = () => consumer.stop();
}, 120_000);

afterAll(async () => {
  await stopWorker?.();
  await Promise.allSettled(transports.map((transport) => transport.close()));
  connection.disconnect();
  await redis.dispose();
  await broker?.[Symbol.asyncDispose]();
});

async function publish(): Promise<string> {
  const sent = await createIdentityPublisher(api).publishEmailVerificationRequested(
    emailVerificationRequested(uniqueTag()),
  );
  confirmed.push(sent.event_id);
  return sent.event_id;
}

async function allHandled(): Promise<void> {
  await until(
    'every confirmed event handled',
    () => confirmed.every((id) => emails.callsFor(id).length > 0),
    60_000,
  );
}

async function startedAt(): Promise<string> {
  const client = await dockerEngine();
  return (await client.container.getById(broker.container.getId()).inspect()).State.StartedAt;
}

describe('RabbitMQ in a container: identity API -> smap.events -> SMTP worker', () => {
  it('declares the contract queue as a quorum queue', async () => {
    await publish();
    const listed = await broker.container.exec(['rabbitmqctl', 'list_queues', '--quiet', 'name', 'type']);
    expect(listed.output).toMatch(new RegExp(`^${WORK_QUEUE}\\s+quorum$`, 'm'));
    await allHandled();
  });

  it('a crash restart mid-stream loses no confirmed message; publisher and worker reconnect', async () => {
    const before = await startedAt();
    const disconnectsBefore = workerEvents.filter((event) => event.type === 'disconnected').length;
    let restart: Promise<void> | undefined;
    for (let i = 0; i < 24; i++) {
      if (i === 8) restart = broker.restart({ kind: 'crash' });
      await publish();
    }
    await restart;
    expect(await startedAt()).not.toBe(before);
    expect(workerEvents.filter((event) => event.type === 'disconnected').length).toBeGreaterThan(
      disconnectsBefore,
    );
    await allHandled();
    // Nothing is left behind in the queue the worker consumes.
    const direct = await connect(`amqp://guest:guest@127.0.0.1:${broker.directAddress.port}`);
    try {
      const channel = await direct.createChannel();
      await until(
        'work queue drained',
        async () => (await channel.checkQueue(WORK_QUEUE)).messageCount === 0,
      );
    } finally {
      await direct.close();
    }
  }, 120_000);

  it('a frozen broker confirms nothing until it thaws; then every message is handled', async () => {
    await broker.pause();
    const pausedAt = Date.now();
    const during = track(publish());
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(during.settledAt).toBe(0);
    await broker.unpause();
    await during.promise;
    expect(during.settledAt - pausedAt).toBeGreaterThanOrEqual(1_500);
    await allHandled();
  }, 60_000);

  it('reset connections (reset_peer): both transports reconnect, nothing confirmed is lost', async () => {
    const { proxy } = broker;
    const resetBefore = proxy.stats.reset;
    const disconnectsBefore = workerEvents.filter((event) => event.type === 'disconnected').length;
    proxy.addToxic('reset', { type: 'reset_peer', timeoutMs: 0 });
    await until('connections reset', () => proxy.stats.reset > resetBefore);
    await until(
      'worker saw its connection go',
      () => workerEvents.filter((event) => event.type === 'disconnected').length > disconnectsBefore,
    );
    proxy.removeToxic('reset');
    for (let i = 0; i < 5; i++) await publish();
    await allHandled();
  }, 60_000);
});
