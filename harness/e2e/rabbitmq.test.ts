/**
 * identity on RabbitMQ: the generated publisher sends email.verification.requested to the topic exchange
 * smap.events (and, while ENABLE_DUAL_PUBLISH is on, to the legacy fanout exchange smtp_send_email_exc); the
 * generated SMTP worker consumes `email.#` from smtp_send_email_v2 with the contract's 1 s / 2 s / 4 s retries
 * and dead-letters to email.errors. Real broker, fresh vhost, Redis idempotency store.
 */
import { type Channel, type ChannelModel, connect, type GetMessage } from 'amqplib';
import {
  type ConsumerHandle,
  createEventMetrics,
  decodeEnvelope,
  destinationLabel,
  encodeEnvelope,
  RedisIdempotencyStore,
  type Runtime,
} from 'eventwire/runtime';
import { createRabbitMqTransport, type RabbitMqTransport } from 'eventwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIdentityPublisher,
  type EmailVerificationRequested,
  publications,
  startIdentityConsumer,
  subscriptions,
} from '../../generated/identity/index.ts';
import { alwaysFail, HandlerLog } from '../support/handler-log.ts';
import { emailVerificationRequested } from '../support/identity-fixtures.ts';
import { handlerSuccesses, settledDeliveries } from '../support/metrics.ts';
import { until, eventually } from '../support/poll.ts';
import { publishUnvalidated } from '../support/raw-publish.ts';
import { createVhost, type Vhost } from '../support/rabbitmq.ts';
import { RedisNamespace } from '../support/redis.ts';
import { uniqueTag } from '../support/tags.ts';

const spec = subscriptions.onEmailEvent;
const publication = publications.publishEmailVerificationRequested;
const WORK_QUEUE = spec.queue.name; // smtp_send_email_v2
const DEAD_LETTER_QUEUE = spec.deadLetter.address; // email.errors
const LEGACY_EXCHANGE = publication.dualPublish.exchange; // smtp_send_email_exc
const LEGACY_QUEUE = 'legacy-smtp-worker';
const SOURCE_LABEL = destinationLabel(spec.source); // smap.events/email.#

const redis = new RedisNamespace('rabbitmq');
const connection = redis.connection();
const emails = new HandlerLog<EmailVerificationRequested>();
const transports: RabbitMqTransport[] = [];
let vhost: Vhost;
let raw: ChannelModel;
let inspect: Channel;
let consumer: ConsumerHandle;
let idempotency: RedisIdempotencyStore;
const workerMetrics = createEventMetrics();

/** The identity API's runtime; `env` is what the process environment would hold. */
function identityApi(env: Record<string, string | undefined>): Runtime {
  return { service: { name: 'identity', version: '4.0.2' }, transport: transports[1]!, idempotency, env };
}

beforeAll(async () => {
  vhost = await createVhost('identity');
  idempotency = new RedisIdempotencyStore(connection, { prefix: `${redis.prefix}idem:` });
  // The worker and the API are separate processes: separate connections.
  transports.push(await createRabbitMqTransport({ url: vhost.url, connectionName: 'identity-smtp-worker' }));
  transports.push(await createRabbitMqTransport({ url: vhost.url, connectionName: 'identity-api' }));
  raw = await connect(vhost.url);
  inspect = await raw.createChannel();
  // A consumer of the legacy exchange that has not migrated yet.
  await inspect.assertExchange(LEGACY_EXCHANGE, publication.dualPublish.exchangeType, { durable: true });
  await inspect.assertQueue(LEGACY_QUEUE, { durable: false });
  await inspect.bindQueue(LEGACY_QUEUE, LEGACY_EXCHANGE, '');
  const worker: Runtime = {
    service: { name: 'identity', version: '4.0.2' },
    transport: transports[0]!,
    idempotency,
    metrics: workerMetrics,
  };
  consumer = await startIdentityConsumer(worker, { onEmailEvent: emails.handle });
});

afterAll(async () => {
  await consumer?.stop();
  await Promise.all(transports.map((transport) => transport.close()));
  await raw?.close().catch(() => undefined);
  await vhost?.dispose();
  connection.disconnect();
  await redis.dispose();
});

async function take(queue: string): Promise<GetMessage | undefined> {
  const message = await inspect.get(queue, { noAck: true });
  return message === false ? undefined : message;
}

async function readyCount(queue: string): Promise<number> {
  return (await inspect.checkQueue(queue)).messageCount;
}

describe('RabbitMQ: generated identity publisher -> smap.events -> generated SMTP worker', () => {
  it.each([
    { value: 'true', expectCopy: true, outcome: 'gets the copy' },
    { value: undefined, expectCopy: true, outcome: 'gets the copy (contract default: on)' },
    { value: 'false', expectCopy: false, outcome: 'gets nothing' },
  ])(
    'ENABLE_DUAL_PUBLISH=$value: the worker gets the event, the legacy fanout queue $outcome',
    async ({ value, expectCopy }) => {
      const settledBefore = await settledDeliveries(workerMetrics, 'identity', SOURCE_LABEL);
      const data = emailVerificationRequested(uniqueTag());
      const sent = await createIdentityPublisher(
        identityApi({ ENABLE_DUAL_PUBLISH: value }),
      ).publishEmailVerificationRequested(data);
      // Both copies go out in one confirmed batch: once publish resolves, the legacy queue holds its copy or never will.
      const legacyCopies = await readyCount(LEGACY_QUEUE);

      const call = await eventually('worker delivery', () => emails.callsFor(sent.event_id)[0]);
      expect(call.event).toEqual(sent);
      expect(call.event.data.recipient).toBe(data.recipient);
      expect(call.context).toMatchObject({ subscription: 'smtp-send-email', attempt: 1 });
      // The handler ran; the delivery settles (commit, ack) a moment later. The next test counts settlements
      // from a baseline, so this one must not leave one in flight.
      await until(
        'delivery settled',
        async () => (await settledDeliveries(workerMetrics, 'identity', SOURCE_LABEL)) >= settledBefore + 1,
      );

      expect(legacyCopies).toBe(expectCopy ? 1 : 0);
      const copy = await take(LEGACY_QUEUE);
      if (!expectCopy) {
        expect(copy).toBeUndefined();
        return;
      }
      expect(copy!.fields).toMatchObject({
        exchange: LEGACY_EXCHANGE,
        routingKey: 'email.verification.requested',
      });
      expect(copy!.properties.messageId).toBe(sent.event_id);
      expect(decodeEnvelope(copy!.content)).toEqual(sent);
    },
  );

  it('a batching publisher (settings.batch) gets a concurrent burst confirmed in shared batches, each event once', async () => {
    const settledBefore = await settledDeliveries(workerMetrics, 'identity', SOURCE_LABEL);
    const publisher = createIdentityPublisher(identityApi({ ENABLE_DUAL_PUBLISH: 'false' }), {
      batch: { maxBatchSize: 16 },
    });
    const burst = Array.from({ length: 40 }, () => emailVerificationRequested(uniqueTag()));
    const sent = await Promise.all(burst.map((data) => publisher.publishEmailVerificationRequested(data)));

    expect(new Set(sent.map((envelope) => envelope.event_id)).size).toBe(burst.length);
    expect(sent.map((envelope) => envelope.data.recipient)).toEqual(burst.map((data) => data.recipient));
    await until('every event of the burst handled', () =>
      sent.every((envelope) => emails.callsFor(envelope.event_id).length > 0),
    );
    await until(
      'burst settled',
      async () =>
        (await settledDeliveries(workerMetrics, 'identity', SOURCE_LABEL)) >= settledBefore + burst.length,
    );
    for (const envelope of sent) {
      const calls = emails.callsFor(envelope.event_id);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.event).toEqual(envelope);
    }
  });

  it('handles a message published twice (same event id) once', async () => {
    const settled = () => settledDeliveries(workerMetrics, 'identity', SOURCE_LABEL);
    const successes = () => handlerSuccesses(workerMetrics, 'identity', SOURCE_LABEL);
    const [settledBefore, successesBefore] = [await settled(), await successes()];
    const sent = await createIdentityPublisher(
      identityApi({ ENABLE_DUAL_PUBLISH: 'false' }),
    ).publishEmailVerificationRequested(emailVerificationRequested(uniqueTag()));
    await until('first delivery settled', async () => (await settled()) === settledBefore + 1);
    // A publisher that lost the confirm resends: same body and message id.
    inspect.publish(
      publication.destination.exchange,
      publication.destination.routingKey,
      encodeEnvelope(sent),
      {
        messageId: sent.event_id,
        contentType: 'application/json',
        persistent: true,
      },
    );
    await until('duplicate settled', async () => (await settled()) === settledBefore + 2);
    expect(emails.callsFor(sent.event_id)).toHaveLength(1);
    expect(await successes()).toBe(successesBefore + 1);
    expect(await readyCount(WORK_QUEUE)).toBe(0);
  });

  it('sends an invalid payload straight to email.errors; the handler never sees it', async () => {
    const invalid = { ...emailVerificationRequested(uniqueTag()), otp_code: '12ab' };
    const sent = await publishUnvalidated(
      identityApi({ ENABLE_DUAL_PUBLISH: 'false' }),
      publication,
      invalid,
    );
    const dead = await eventually('dead letter', async () => {
      const message = await take(DEAD_LETTER_QUEUE);
      return message && decodeEnvelope(message.content).event_id === sent.event_id ? message : undefined;
    });
    expect(dead.properties.headers).toMatchObject({
      'x-eventwire-dead-letter-reason': 'invalid-payload',
      'x-eventwire-attempts': 1,
      'x-eventwire-subscription': 'smtp-send-email',
    });
    expect(String(dead.properties.headers?.['x-eventwire-dead-letter-error'])).toContain('otp_code');
    expect(emails.callsFor(sent.event_id)).toEqual([]);
  });

  it('retries a failing handler after 1 s, 2 s and 4 s, then dead-letters it to email.errors', async () => {
    const data = emailVerificationRequested(uniqueTag());
    emails.when(
      (event) => event.data.recipient === data.recipient,
      alwaysFail('SMTP 421 service not available'),
    );
    const sent = await createIdentityPublisher(
      identityApi({ ENABLE_DUAL_PUBLISH: 'false' }),
    ).publishEmailVerificationRequested(data);

    const dead = await eventually(
      'dead letter after the last retry',
      async () => {
        const message = await take(DEAD_LETTER_QUEUE);
        return message && decodeEnvelope(message.content).event_id === sent.event_id ? message : undefined;
      },
      25_000,
      100,
    );
    const calls = emails.callsFor(sent.event_id);
    expect(calls.map((call) => call.context.attempt)).toEqual([1, 2, 3, 4]);
    // The gaps come from the delay queues' TTLs (the contract's fixed delays); a TTL never fires early.
    const gaps = calls.slice(1).map((call, index) => call.at - calls[index]!.at);
    spec.retry.delaysMs.forEach((delay, index) => {
      expect(gaps[index], `gap before attempt ${index + 2}`).toBeGreaterThanOrEqual(delay - 50);
      expect(gaps[index], `gap before attempt ${index + 2}`).toBeLessThan(delay + 5_000);
    });
    expect(dead.properties.headers).toMatchObject({
      'x-eventwire-dead-letter-reason': 'retries-exhausted',
      'x-eventwire-attempts': spec.retry.maxRetries + 1,
      'x-eventwire-subscription': 'smtp-send-email',
      'x-eventwire-original-routing-key': 'email.verification.requested',
      'x-eventwire-original-exchange': 'smap.events',
    });
    expect(dead.properties.correlationId).toBe(sent.metadata.correlation_id);
    expect(String(dead.properties.headers?.['x-eventwire-dead-letter-error'])).toContain('SMTP 421');
    // The contract marks recipient and otp_code as personal data: the dead-letter copy has them masked and says
    // so; every other field is as sent.
    expect(dead.properties.headers?.['x-eventwire-pii-masked']).toBe('/otp_code,/recipient');
    expect(decodeEnvelope(dead.content)).toEqual({
      ...sent,
      data: { ...sent.data, recipient: '***', otp_code: '***' },
    });
    expect(dead.content.toString()).not.toContain(data.recipient);
    expect(await readyCount(WORK_QUEUE)).toBe(0);
  }, 29_000);
});
