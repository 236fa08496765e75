/**
 * How responsive the machine and the broker are, second by second, from a process that does almost nothing:
 * run it beside `eventwire load` to tell a load run's latency peaks that are the machine's (every process late
 * at once) from the service's. Per second: how late this process's 5 ms timer fired, and the confirm latency
 * (from the due time) of a persistent publish at 25/s to an exchange no queue is bound to, and to a quorum queue
 * with a consumer (confirmed once its Raft log is fsynced). In a fresh vhost, deleted at the end.
 *
 * `--nagle` leaves Nagle's algorithm on the AMQP socket (the runtime turns it off, TCP_NODELAY), to see what it
 * costs the confirms.
 *
 *   node loadtest/bench/machine-latency.ts [--seconds 30] [--nagle]
 */
import { parseArgs } from 'node:util';
import { connect } from 'amqplib';
import { freshVhost } from '../engine/brokers.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '30' }, nagle: { type: 'boolean', default: false } },
});
const seconds = Number(values.seconds);
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const vhost = `eventwire-latency-${Date.now().toString(36)}`;
const removeVhost = await freshVhost(amqpUrl, vhost, process.env);
const url = new URL(amqpUrl);
url.pathname = `/${encodeURIComponent(vhost)}`;

interface Second {
  timerLateMs: number;
  unroutedMs: number;
  quorumMs: number;
}

try {
  const connection = await connect(url.toString(), { noDelay: !values.nagle });
  const channel = await connection.createConfirmChannel();
  await channel.assertExchange('unrouted', 'topic', { durable: true });
  await channel.assertExchange('routed', 'topic', { durable: true });
  await channel.assertQueue('quorum', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue('quorum', 'routed', '#');
  const consumer = await connection.createChannel();
  await consumer.consume('quorum', (message) => message && consumer.ack(message));

  const start = performance.now();
  const rows: Second[] = [];
  const row = (at: number) => {
    const index = Math.floor((at - start) / 1000);
    rows[index] ??= { timerLateMs: 0, unroutedMs: 0, quorumMs: 0 };
    return rows[index];
  };
  let expected = start + 5;
  const timer = setInterval(() => {
    const now = performance.now();
    const second = row(now);
    second.timerLateMs = Math.max(second.timerLateMs, now - expected);
    expected = now + 5;
  }, 5);
  const body = Buffer.alloc(600, 'x');
  const all = { unroutedMs: [] as number[], quorumMs: [] as number[] };
  let sent = 0;
  const publisher = setInterval(() => {
    while (start + sent * 40 <= performance.now()) {
      const due = start + sent++ * 40;
      const confirmed = (field: 'unroutedMs' | 'quorumMs') => () => {
        const second = row(due);
        const latency = performance.now() - due;
        second[field] = Math.max(second[field], latency);
        all[field].push(latency);
      };
      channel.publish('unrouted', 'k', body, { persistent: true }, confirmed('unroutedMs'));
      channel.publish('routed', 'k', body, { persistent: true }, confirmed('quorumMs'));
    }
  }, 5);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  clearInterval(timer);
  clearInterval(publisher);
  await channel.waitForConfirms();
  await connection.close();

  console.log('second  timer late  unrouted confirm  quorum confirm   (max per second, ms)');
  rows.forEach((r, second) => {
    if (!r) return;
    const cell = (value: number, width: number) => value.toFixed(0).padStart(width);
    console.log(
      `${String(second).padStart(6)}  ${cell(r.timerLateMs, 10)}  ${cell(r.unroutedMs, 16)}  ${cell(r.quorumMs, 14)}`,
    );
  });
  const worst = (field: keyof Second) => Math.max(...rows.filter(Boolean).map((r) => r[field]));
  const at = (values: number[], percentile: number) =>
    ([...values].sort((a, b) => a - b)[Math.floor(((values.length - 1) * percentile) / 100)] ?? 0).toFixed(1);
  console.log(
    `worst: timer ${worst('timerLateMs').toFixed(0)} ms, unrouted ${worst('unroutedMs').toFixed(0)} ms, ` +
      `quorum ${worst('quorumMs').toFixed(0)} ms; confirms p50/p99: unrouted ${at(all.unroutedMs, 50)}/` +
      `${at(all.unroutedMs, 99)} ms, quorum ${at(all.quorumMs, 50)}/${at(all.quorumMs, 99)} ms` +
      (values.nagle ? ' (Nagle on)' : ''),
  );
} finally {
  await removeVhost();
}
