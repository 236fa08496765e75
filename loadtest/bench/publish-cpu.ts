import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { machineInfo, sampleLoad } from '../../bench/lib/machine.ts';
import { createOrderPublisher, type OrdersOrderCreated } from '../../generated/order/index.ts';
import { createRedisStreamsTransport, MemoryIdempotencyStore } from '../../runtime/index.ts';
import { orderCreatedPlan } from './order-created-plan.ts';
import { rawEntryFields } from './raw-entry.ts';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '40000' }, rounds: { type: 'string', default: '3' } },
});
const EVENTS = Number(values.events);
const ROUNDS = Number(values.rounds);
const BURST = 32;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const event = (await orderCreatedPlan()).scenarios[0]!.publication.events[0]!;
const data = JSON.parse(JSON.stringify(event.example)) as OrdersOrderCreated;
const prefix = `ewload-cpu-${Date.now().toString(36)}:`;

const raw = new Redis(redisUrl);
await raw.ping();
const fields = rawEntryFields(data);
const transport = createRedisStreamsTransport({ url: redisUrl, streamPrefix: prefix });
const runtime = {
  service: { name: 'order', version: '1.0.0' },
  transport,
  idempotency: new MemoryIdempotencyStore(),
};
const publisher = createOrderPublisher(runtime);
// The load engine's publisher: concurrent publishes of one turn of the event loop share one broker batch.
const batched = createOrderPublisher(runtime, { batch: { lingerMs: 0 } });

let corked = false;
const sides: Record<string, () => Promise<unknown>> = {
  rawXadd: () => raw.xadd(`${prefix}raw`, 'MAXLEN', '~', '100000', '*', ...fields),
  rawXaddCoalesced: () => {
    if (!corked) {
      corked = true;
      raw.stream.cork();
      process.nextTick(() => {
        corked = false;
        raw.stream.uncork();
      });
    }
    return raw.xadd(`${prefix}raw`, 'MAXLEN', '~', '100000', '*', ...fields);
  },
  generatedPublisher: () => publisher.publishOrdersOrderCreated(data),
  generatedPublisherBatch: () => batched.publishOrdersOrderCreated(data),
};

/** CPU µs per event over `events` sends, bursts of BURST awaited together. */
async function measure(send: () => Promise<unknown>, events: number): Promise<number> {
  const cpu = process.cpuUsage();
  for (let sent = 0; sent < events; sent += BURST) {
    await Promise.all(Array.from({ length: BURST }, send));
  }
  const used = process.cpuUsage(cpu);
  return Math.round(((used.user + used.system) / events) * 10) / 10;
}

const before = sampleLoad();
for (const send of Object.values(sides)) await measure(send, EVENTS / 4);
const rounds: Record<string, number[]> = Object.fromEntries(Object.keys(sides).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, send] of Object.entries(sides)) rounds[name]!.push(await measure(send, EVENTS));
}
const after = sampleLoad();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const result = {
  benchmark: 'publish-cpu-per-event',
  at: new Date().toISOString(),
  machine: machineInfo(),
  load: { before, after },
  events: EVENTS,
  burst: BURST,
  cpuUsPerEvent: Object.fromEntries(
    Object.entries(rounds).map(([name, values]) => [name, { median: median(values), rounds: values }]),
  ),
};
console.log(JSON.stringify(result, null, 2));
const keys = await raw.keys(`${prefix}*`);
if (keys.length > 0) await raw.del(...keys);
raw.disconnect();
await transport.close();
