/**
 * The Node engine's ceiling: the highest arrival rate `eventwire load` holds on this machine with under 1 %
 * dropped iterations, next to the raw client's ceiling measured in the same run, and the latency the engine
 * adds at a rate both hold.
 *
 *   node loadtest/bench/engine-ceiling.ts [--seconds 5] [--out loadtest/bench/results.json]
 *
 * Subject: the Node engine (load workers, open-model schedule) publishing `orders.order.created` through the
 * generated order publisher over Redis Streams, plain and with the publisher's `batch` setting. Baseline: a raw
 * ioredis `XADD` of the same encoded envelope, driven open-loop at the same rate from one thread (bench/lib/pace).
 * A rate is held when under 1 % of the events are lost or late: dropped (for the engine, an arrival finding all
 * its slots, a second's worth of events, busy), failed, or acknowledged more than a second after they were due
 * (from-due p99 over a second), for both sides the same budget. The search doubles the rate until it is not held, then
 * bisects. Nothing consumes during the search: this measures the generator and the publish path.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { pacedOptions, paced } from '../../bench/lib/pace.ts';
import { machineInfo, sampleLoad } from '../../bench/lib/machine.ts';
import { loadModel } from '../../generators/model/index.ts';
import { createOrderPublisher, type OrdersOrderCreated, publications } from '../../generated/order/index.ts';
import {
  createEnvelope,
  createRedisStreamsTransport,
  encodeEnvelope,
  MemoryIdempotencyStore,
  type Runtime,
} from '../../runtime/index.ts';
import { percentileMs } from '../engine/histogram.ts';
import { planRun, type RunPlan } from '../engine/plan-run.ts';
import { runLoad } from '../engine/run.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    out: { type: 'string' },
    workers: { type: 'string' },
  },
});
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const seconds = Number(values.seconds);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const model = (await loadModel([join(REPO_ROOT, 'asyncapi')], { root: REPO_ROOT })).model;
const base = planRun({
  model,
  services: ['order'],
  settings: { profile: 'smoke', rateScale: 1 },
  generatedDir: join(REPO_ROOT, 'generated'),
  handlers: {},
  operations: ['publishOrdersOrderCreated'],
});
const event = base.scenarios[0]!.publication.events[0]!;
const example = event.example;
const ENVELOPE_SOURCE = {
  service: { name: 'order', version: '1.0.0' },
  eventType: event.eventType,
  version: event.version,
};

interface Probe {
  readonly rate: number;
  readonly held: boolean;
  readonly achieved: number;
  readonly lateOrDropped: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** Client CPU (this process, user + system) per acknowledged event: the paced loops only. */
  readonly cpuUsPerEvent?: number;
}

/** The plan at one rate, for `seconds`, with no subscriber: the publish side alone. */
function atRate(rate: number): RunPlan {
  const scenario = base.scenarios[0]!;
  return {
    ...base,
    consumers: [],
    thresholds: [],
    scenarios: [
      {
        ...scenario,
        subscribers: [],
        plan: {
          ...scenario.plan,
          rate: rate * seconds,
          timeUnit: `${seconds}s`,
          timeUnitMs: seconds * 1000,
          durationMs: seconds * 1000,
          duration: `${seconds}s`,
          events: rate * seconds,
          vus: rate,
        },
      },
    ],
  };
}

async function engineProbe(rate: number, batch: boolean): Promise<Probe> {
  const result = await runLoad({
    plan: atRate(rate),
    brokers: 'local',
    env: process.env,
    batch,
    ...(values.workers ? { workers: Number(values.workers) } : {}),
  });
  const figures = result.stats.publish[0]!;
  const planned = rate * seconds;
  const p99 = percentileMs(figures.latency, 99);
  const max = figures.latency.totalCount > 0 ? figures.latency.maxValue / 1000 : 0;
  const dropped = (figures.dropped + figures.failed) / planned;
  // A generator too busy to start arrivals on time shows as latency from their due time, not as drops: the
  // same one-second budget as the raw loop's applies.
  const late = (p99 ?? 0) > 1000;
  return {
    rate,
    held: dropped < 0.01 && !late && figures.ok >= 0.99 * planned,
    // The last event was due at the end of the schedule and acknowledged at most `max` later.
    achieved: figures.ok / ((seconds * 1000 + max) / 1000),
    lateOrDropped: late ? Math.max(0.01, dropped) : dropped,
    ...(percentileMs(figures.latency, 50) !== undefined ? { p50Ms: percentileMs(figures.latency, 50) } : {}),
    ...(p99 !== undefined ? { p99Ms: p99 } : {}),
  };
}

/**
 * `coalesced`: the raw loop with the runtime's write coalescing (the socket corked until the burst's synchronous
 * run ends, one `writev` per burst), so the runtime's own gain from it is not counted as engine speed.
 */
async function rawProbe(rate: number, coalesced = false): Promise<Probe> {
  const redis = new Redis(redisUrl);
  await redis.ping();
  const stream = `ewload-bench-${Date.now().toString(36)}`;
  const body = encodeEnvelope(createEnvelope(ENVELOPE_SOURCE, example));
  let corked = false;
  const cork = () => {
    if (!coalesced || corked) return;
    corked = true;
    redis.stream.cork();
    process.nextTick(() => {
      corked = false;
      redis.stream.uncork();
    });
  };
  try {
    const result = await paced(pacedOptions(rate, seconds), () => {
      cork();
      return redis.xadd(stream, 'MAXLEN', '~', '100000', '*', 'data', body);
    });
    const planned = rate * seconds;
    const overloaded = result.extra?.overloaded === 1;
    // More than 1 % acknowledged over a second after their due time <=> the from-due p99 is over a second.
    const late = (result.extra?.fromDueP99Ms ?? 0) > 1000;
    return {
      rate,
      held: !overloaded && !late && result.events >= 0.99 * planned,
      achieved: result.events / Math.max(seconds, result.seconds),
      lateOrDropped: overloaded ? 1 : late ? 0.01 : 0,
      cpuUsPerEvent: Math.round(((result.cpuMicros ?? 0) / Math.max(1, result.events)) * 10) / 10,
      ...(result.extra?.fromDueP50Ms !== undefined ? { p50Ms: result.extra.fromDueP50Ms } : {}),
      ...(result.extra?.fromDueP99Ms !== undefined ? { p99Ms: result.extra.fromDueP99Ms } : {}),
    };
  } finally {
    await redis.del(stream);
    redis.disconnect();
  }
}

/**
 * The publish path without the engine: the same generated publisher, driven open-loop from this thread by the
 * same paced loop as the raw client. Engine vs this isolates what the engine itself costs; this vs raw, what
 * validation, the envelope and the runtime's transport cost.
 */
async function publisherProbe(rate: number): Promise<Probe> {
  const prefix = `ewload-bench-${Date.now().toString(36)}:`;
  const transport = createRedisStreamsTransport({
    url: redisUrl,
    streamPrefix: prefix,
  });
  const runtime: Runtime = {
    service: { name: 'order', version: '1.0.0' },
    transport,
    idempotency: new MemoryIdempotencyStore(),
  };
  const publisher = createOrderPublisher(runtime);
  const data = JSON.parse(JSON.stringify(example)) as OrdersOrderCreated;
  try {
    const result = await paced(pacedOptions(rate, seconds), () => publisher.publishOrdersOrderCreated(data));
    const planned = rate * seconds;
    const overloaded = result.extra?.overloaded === 1;
    const late = (result.extra?.fromDueP99Ms ?? 0) > 1000;
    return {
      rate,
      held: !overloaded && !late && result.events >= 0.99 * planned,
      achieved: result.events / Math.max(seconds, result.seconds),
      lateOrDropped: overloaded ? 1 : late ? 0.01 : 0,
      cpuUsPerEvent: Math.round(((result.cpuMicros ?? 0) / Math.max(1, result.events)) * 10) / 10,
      ...(result.extra?.fromDueP50Ms !== undefined ? { p50Ms: result.extra.fromDueP50Ms } : {}),
      ...(result.extra?.fromDueP99Ms !== undefined ? { p99Ms: result.extra.fromDueP99Ms } : {}),
    };
  } finally {
    // The publisher's stream is this probe's alone: delete it, as the raw probe does its own.
    await transport.close();
    const redis = new Redis(redisUrl);
    const { destination } = publications.publishOrdersOrderCreated;
    if (destination.kind === 'topic') await redis.del(transport.streamFor(destination.topic));
    redis.disconnect();
  }
}

/** Doubles from `start` until a rate is not held, then bisects the gap three times. */
async function ceiling(name: string, probe: (rate: number) => Promise<Probe>, start: number) {
  const probes: Probe[] = [];
  const record = async (rate: number) => {
    const p = await probe(rate);
    probes.push(p);
    console.error(
      `${name}: ${rate}/s ${p.held ? 'held' : 'not held'} (achieved ${p.achieved.toFixed(0)}/s, late or dropped ${(p.lateOrDropped * 100).toFixed(2)} %, p99 ${p.p99Ms?.toFixed(1)} ms)`,
    );
    return p.held;
  };
  let low = 0;
  let high = start;
  while (await record(high)) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 3 && high - low > start / 4; i++) {
    const mid = Math.round((low + high) / 2);
    if (await record(mid)) low = mid;
    else high = mid;
  }
  return { ceiling: low, probes };
}

const before = sampleLoad();
const raw = await ceiling('raw XADD', (rate) => rawProbe(rate), 1000);
const rawCoalesced = await ceiling('raw XADD, writes coalesced', (rate) => rawProbe(rate, true), 1000);
const loop = await ceiling('generated publisher, paced loop', publisherProbe, 1000);
const engine = await ceiling('engine', (rate) => engineProbe(rate, false), 1000);
const batched = await ceiling('engine + batch', (rate) => engineProbe(rate, true), 1000);
// The latency the engine adds: both sides at half the engine's ceiling, from each event's due time.
const half = Math.max(100, Math.round(engine.ceiling / 2));
const rawAtHalf = await rawProbe(half);
const loopAtHalf = await publisherProbe(half);
const engineAtHalf = await engineProbe(half, false);
const after = sampleLoad();

const result = {
  benchmark: 'load-engine-ceiling',
  at: new Date().toISOString(),
  machine: machineInfo(),
  load: { before, after },
  seconds,
  ceilings: {
    rawXadd: raw.ceiling,
    rawXaddCoalesced: rawCoalesced.ceiling,
    publisherLoop: loop.ceiling,
    engine: engine.ceiling,
    engineBatch: batched.ceiling,
    ratio: raw.ceiling > 0 ? Math.round((engine.ceiling / raw.ceiling) * 100) / 100 : undefined,
    ratioBatch: raw.ceiling > 0 ? Math.round((batched.ceiling / raw.ceiling) * 100) / 100 : undefined,
    ratioToCoalesced:
      rawCoalesced.ceiling > 0 ? Math.round((engine.ceiling / rawCoalesced.ceiling) * 100) / 100 : undefined,
    ratioToPublisherLoop:
      loop.ceiling > 0 ? Math.round((engine.ceiling / loop.ceiling) * 100) / 100 : undefined,
  },
  addedLatency: { rate: half, raw: rawAtHalf, publisherLoop: loopAtHalf, engine: engineAtHalf },
  probes: {
    raw: raw.probes,
    rawCoalesced: rawCoalesced.probes,
    publisherLoop: loop.probes,
    engine: engine.probes,
    engineBatch: batched.probes,
  },
};
console.log(JSON.stringify(result, null, 2));
if (values.out) await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
