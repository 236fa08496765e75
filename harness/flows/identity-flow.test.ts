/**
 * Identity's e-mail verification end to end on the machine's RabbitMQ (a fresh vhost), Redis and PostgreSQL
 * (seed 002): sign-up publishes `email.verification.requested` to `smap.events` and, while ENABLE_DUAL_PUBLISH
 * is on, to the legacy fanout exchange; the SMTP worker (the service's own handlers) consumes `email.#` from
 * `smtp_send_email_v2`, "sends" the mail into a table, and marks the user's verification job on the progress
 * tracker, whose atomic finish line lets exactly one request record the sign-up's "code sent" step. Also the
 * contract's retries (1 s, 2 s, 4 s) and the dead-letter queue `email.errors` for a mail the relay refuses.
 */
import { type Channel, type ChannelModel, connect, type GetMessage } from 'amqplib';
import {
  createEventMetrics,
  createRabbitMqTransport,
  decodeEnvelope,
  destinationLabel,
  encodeEnvelope,
  type RabbitMqTransport,
} from 'eventwire/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as identity from '../../generated/identity/handlers.ts';
import {
  createIdentityPublisher,
  type EmailVerificationRequested,
  publications,
  startIdentityConsumer,
  subscriptions,
} from '../../generated/identity/index.ts';
import { settledDeliveries } from '../support/metrics.ts';
import { eventually, until } from '../support/poll.ts';
import { createVhost, type Vhost } from '../support/rabbitmq.ts';
import { uniqueTag } from '../support/tags.ts';
import { FlowPlatform } from './platform.ts';

const spec = subscriptions.onEmailEvent;
const publication = publications.publishEmailVerificationRequested;
const LEGACY_QUEUE = 'legacy-smtp-worker';
/** The relay refuses mail to this domain (a mailbox that does not exist): a poison request. */
const REFUSED = '@refused.example.com';

let platform: FlowPlatform;
let vhost: Vhost;
let raw: ChannelModel;
let inspect: Channel;
let progress: ReturnType<FlowPlatform['progress']>;
const transports: RabbitMqTransport[] = [];
const workerMetrics = createEventMetrics();
const settled = () => settledDeliveries(workerMetrics, 'identity', destinationLabel(spec.source));

beforeAll(async () => {
  platform = await FlowPlatform.open('identity');
  vhost = await createVhost('flows-identity');
  transports.push(await createRabbitMqTransport({ url: vhost.url, connectionName: 'identity-smtp-worker' }));
  transports.push(await createRabbitMqTransport({ url: vhost.url, connectionName: 'identity-api' }));
  raw = await connect(vhost.url);
  inspect = await raw.createChannel();
  // The old SMTP consumer that has not migrated yet reads the legacy fanout exchange.
  await inspect.assertExchange(publication.dualPublish.exchange, publication.dualPublish.exchangeType, {
    durable: true,
  });
  await inspect.assertQueue(LEGACY_QUEUE, { durable: false });
  await inspect.bindQueue(LEGACY_QUEUE, publication.dualPublish.exchange, '');

  const worker = platform.runtime('identity', { transport: transports[0]!, metrics: workerMetrics });
  const deps = await platform.deps(identity, 'identity', 'onEmailEvent');
  progress = platform.progress();
  const smtp: identity.SmtpClient = {
    async send(mail) {
      if (mail.to.endsWith(REFUSED)) throw new Error(`SMTP 550 mailbox unavailable: ${mail.to}`);
      await deps.smtp.send(mail);
    },
  };
  const handlers = identity.createHandlers({
    publisher: createIdentityPublisher(worker),
    smtp,
    signups: deps.signups,
    progress,
  });
  platform.started(await startIdentityConsumer(worker, platform.recorded('identity', handlers)));
}, 60_000);

afterAll(async () => {
  await platform?.[Symbol.asyncDispose]();
  await Promise.all(transports.map((transport) => transport.close()));
  await raw?.close().catch(() => undefined);
  await vhost?.dispose();
});

/** The identity API (sign-up); `env` is its process environment. */
function signUp(env: Record<string, string | undefined> = {}) {
  return createIdentityPublisher(platform.runtime('identity', { transport: transports[1]!, env }));
}

function request(
  tag: string,
  overrides: Partial<EmailVerificationRequested> = {},
): EmailVerificationRequested {
  return {
    user_id: `${tag.padEnd(8, '0').slice(0, 8)}-1111-4222-8333-${tag.padEnd(12, '0').slice(0, 12)}`,
    recipient: `user-${tag}@example.com`,
    otp_code: String(100_000 + (Number.parseInt(tag.slice(0, 6), 16) % 900_000)),
    locale: 'en',
    // Ten minutes from now, as identity issues codes (an expired request is dropped by the worker).
    expires_at: new Date(Date.now() + 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...overrides,
  };
}

async function mailsTo(recipient: string): Promise<{ subject: string; body: string }[]> {
  return platform.rows('SELECT subject, body FROM sent_mail WHERE recipient = $1 ORDER BY id', [recipient]);
}

async function take(queue: string): Promise<GetMessage | undefined> {
  const message = await inspect.get(queue, { noAck: true });
  return message === false ? undefined : message;
}

describe('identity on RabbitMQ: sign-up -> smap.events (+ legacy fanout) -> SMTP worker, effects in PostgreSQL and Redis', () => {
  it('sends the code once, records the sign-up at the finish line, and copies the request to the legacy exchange', async () => {
    const data = request(uniqueTag(6));
    const sent = await signUp().publishEmailVerificationRequested(data); // ENABLE_DUAL_PUBLISH unset: on

    await until('mail sent', async () => (await mailsTo(data.recipient)).length === 1, 20_000);
    expect((await mailsTo(data.recipient))[0]).toEqual({
      subject: 'Your verification code',
      body: `${data.otp_code}\n\nThe code expires at ${data.expires_at}.`,
    });
    const signup = await eventually('sign-up recorded', async () => {
      const [row] = await platform.rows<{ event_id: string }>(
        'SELECT event_id FROM signup_verifications WHERE user_id = $1',
        [data.user_id],
      );
      return row;
    });
    expect(signup.event_id).toBe(sent.event_id);
    expect(await progress.get(identity.verificationJobOf(data.user_id))).toMatchObject({
      status: 'finished',
      total: 1,
      completed: 1,
    });
    // Dual publish: the legacy consumer got the same message (same id, same body).
    const copy = await eventually('legacy copy', () => take(LEGACY_QUEUE));
    expect(copy.fields.exchange).toBe(publication.dualPublish.exchange);
    expect(copy.properties.messageId).toBe(sent.event_id);
    expect(decodeEnvelope(copy.content)).toEqual(sent);
  });

  it('two resends in flight at once: both codes are mailed, exactly one crosses the finish line; a duplicate mails nothing', async () => {
    const tag = uniqueTag(6);
    const first = request(tag);
    const second = request(tag, { otp_code: first.otp_code === '111111' ? '222222' : '111111' });
    const api = signUp({ ENABLE_DUAL_PUBLISH: 'false' });
    const before = await settled();
    const sent = await Promise.all([
      api.publishEmailVerificationRequested(first),
      api.publishEmailVerificationRequested(second),
    ]);
    await until('both codes mailed', async () => (await mailsTo(first.recipient)).length === 2, 20_000);
    await until('both deliveries settled', async () => (await settled()) >= before + 2);

    // A publisher that lost the confirm resends the first request: same message id, handled once.
    inspect.publish(
      publication.destination.exchange,
      publication.destination.routingKey,
      encodeEnvelope(sent[0]),
      {
        messageId: sent[0].event_id,
        contentType: 'application/json',
        persistent: true,
      },
    );
    await until('duplicate settled', async () => (await settled()) >= before + 3);
    expect(platform.callsOf('onEmailEvent', (event) => event.event_id === sent[0].event_id)).toHaveLength(1);
    expect((await mailsTo(first.recipient)).map((mail) => mail.body.split('\n')[0]).sort()).toEqual(
      [first.otp_code, second.otp_code].sort(),
    );
    const signups = await platform.rows<{ event_id: string }>(
      'SELECT event_id FROM signup_verifications WHERE user_id = $1',
      [first.user_id],
    );
    expect(signups).toHaveLength(1);
    expect(sent.map((envelope) => envelope.event_id)).toContain(signups[0]!.event_id);
    // The job counted one item and finished once; the other mark counted nothing.
    expect(await progress.get(identity.verificationJobOf(first.user_id))).toMatchObject({
      status: 'finished',
      total: 1,
      completed: 1,
      processed: 1,
    });
  });

  it('verify retry logic and DLQ routing: a mail the relay refuses is tried maxRetries + 1 times after 1 s, 2 s, 4 s, then dead-lettered to email.errors', async () => {
    const data = request(uniqueTag(6), { recipient: `user-${uniqueTag(4)}${REFUSED}` });
    const sent = await signUp({ ENABLE_DUAL_PUBLISH: 'false' }).publishEmailVerificationRequested(data);
    const dead = await eventually(
      'dead letter in email.errors',
      async () => {
        const message = await take(spec.deadLetter.address);
        return message && decodeEnvelope(message.content).event_id === sent.event_id ? message : undefined;
      },
      30_000,
      100,
    );
    expect(dead.properties.headers).toMatchObject({
      'x-eventwire-dead-letter-reason': 'retries-exhausted',
      'x-eventwire-attempts': spec.retry.maxRetries + 1,
      'x-eventwire-subscription': spec.name,
    });
    expect(String(dead.properties.headers?.['x-eventwire-dead-letter-error'])).toContain('SMTP 550');
    const calls = platform.callsOf('onEmailEvent', (event) => event.event_id === sent.event_id);
    expect(calls.map((call) => call.attempt)).toEqual([1, 2, 3, 4]);
    const gaps = calls.slice(1).map((call, index) => call.at - calls[index]!.at);
    for (const [index, gap] of gaps.entries())
      expect(gap).toBeGreaterThanOrEqual(spec.retry.delaysMs[index]! - 50);
    // Nothing was sent and the sign-up never reached "code sent".
    expect(await mailsTo(data.recipient)).toEqual([]);
    expect(
      await platform.rows('SELECT 1 FROM signup_verifications WHERE user_id = $1', [data.user_id]),
    ).toEqual([]);
  }, 45_000);
});
