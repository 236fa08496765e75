/**
 * A service in a team's own repository, on the installed eventwire: `createRuntime` from the generated
 * contract, the generated consumer and publisher, the ops server. Publishes one event, handles it, reads
 * /healthz and /metrics, shuts down, and prints what it saw as one JSON line.
 *
 *   node src/round-trip.ts hello|mail
 */
import { createRuntime, type EventEnvelope, type ServiceRuntime, startOpsServer } from 'eventwire/runtime';
import * as hello from '../generated/hello/index.ts';
import * as mail from '../generated/mail/index.ts';

const service = process.argv[2];
const prefix = process.env.PROBE_PREFIX ?? 'probe:';
const received = Promise.withResolvers<EventEnvelope<unknown>>();
const timeout = setTimeout(() => received.reject(new Error('no event within 20 s')), 20_000);

async function start(): Promise<{
  runtime: ServiceRuntime;
  consumer: { stop(): Promise<void> };
  sent: string;
}> {
  if (service === 'hello') {
    const runtime = await createRuntime({
      contract: hello,
      version: '1.0.0',
      redisPrefix: prefix,
      redisStreams: { blockMs: 200 },
      logger: false,
    });
    const consumer = await hello.startHelloConsumer(runtime, {
      onGreetingSent: async (event) => received.resolve(event),
    });
    const publisher = hello.createHelloPublisher(runtime);
    const data = { greeting_id: 'g-1', name: 'Ada', sent_at: new Date().toISOString() };
    const sent = await publisher.publishGreetingSent(data);
    return { runtime, consumer, sent: sent.event_id };
  }
  if (service === 'mail') {
    const runtime = await createRuntime({ contract: mail, version: '1.0.0', logger: false });
    const consumer = await mail.startMailConsumer(runtime, {
      onMailQueued: async (event) => received.resolve(event),
    });
    const publisher = mail.createMailPublisher(runtime);
    const sent = await publisher.publishMailQueued({ message_id: 'm-1', recipient: 'ada@example.com' });
    return { runtime, consumer, sent: sent.event_id };
  }
  throw new Error(`unknown service ${service}: hello or mail`);
}

const { runtime, consumer, sent } = await start();
const ops = await startOpsServer({ runtime, port: 0, host: '127.0.0.1' });
const event = await received.promise;
clearTimeout(timeout);
const health = await fetch(`${ops.url}/healthz`);
const metrics = await (await fetch(`${ops.url}/metrics`)).text();
await consumer.stop();
await runtime.close();
await ops.close();
process.stdout.write(
  `${JSON.stringify({
    sent,
    received: event.event_id,
    data: event.data,
    health: health.status,
    processed: /^events_processed_total\{[^}]*\} 1$/m.test(metrics),
    deadLetters: /^dlq_events_total\{[^}]*\} 0$/m.test(metrics),
  })}\n`,
);
