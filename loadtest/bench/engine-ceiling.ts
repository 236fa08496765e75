/**
 * The Node engine's ceiling: the highest arrival rate `eventwire load` holds on this machine with under 1 %
 * dropped iterations, next to the raw client's ceiling measured in the same run, and the latency the engine
 * adds at a rate both hold.
 *
 *   node loadtest/bench/engine-ceiling.ts [--seconds 5] [--rounds 3] [--sides raw,engine,publisherLoop,engineBatch]
 *                                         [--latency-at RATE] [--out loadtest/bench/results.json]
 *
 * Subject: the Node engine (load workers, open-model schedule) publishing `orders.order.created` through the
 * generated order publisher over Redis Streams as `eventwire load` runs it (one broker call per event), and
 * (`engineBatch`) with the batching publisher (`batch: { lingerMs: 0 }`: the arrivals due together in one call).
 * Baseline: a raw ioredis `XADD` of the stream entry the runtime writes for that event (its CloudEvent and
 * metadata, raw-entry.ts), encoded once, driven open-loop at the same rate from one thread (bench/lib/pace).
 * `publisherLoop`: the generated publisher driven by that same paced loop (the publish path without the engine);
 * `rawCoalesced`, optional: the raw loop with the runtime's write coalescing.
 *
 * A rate is held when under 1 % of the events are lost or late, the same budget for every side: dropped (for the
 * engine, an arrival finding all its slots, a second's worth of events, busy; for the paced loops, a backlog of
 * a second's worth of events stops the probe), failed, or acknowledged more than a second after they were due
 * (from-due p99 over a second). Nothing consumes during the search: this measures the generator and the publish
 * path.
 *
 * Fairness on a shared machine, whose load moves ceilings by 2x from one minute to the next: every side is
 * searched the same way, and the searches run interleaved, one probe of each side in turn (the order rotating
 * every round), so each ratio compares ceilings measured within the same minute. Each round reports its own
 * ratios; the result is their median.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { pacedOptions, paced } from '../../bench/lib/pace.ts';
import { type LoadSample, machineInfo, sampleLoad } from '../../bench/lib/machine.ts';
import { createOrderPublisher, type OrdersOrderCreated, publications } from '../../generated/order/index.ts';
import { createRedisStreamsTransport, MemoryIdempotencyStore, type Runtime } from '../../runtime/index.ts';
import { percentileMs } from '../engine/histogram.ts';
import { orderCreatedPlan } from './order-created-plan.ts';
import { rawEntryFields } from './raw-entry.ts';
import type { RunPlan } from '../engine/plan-run.ts';
import { runLoad } from '../engine/run.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    'latency-at': { type: 'string' },
    sides: { type: 'string', default: 'raw,engine,publisherLoop,engineBatch' },
    out: { type: 'string' },
    workers: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const base = await orderCreatedPlan();
const event = base.scenarios[0]!.publication.events[0]!;
const example = event.example;

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

/** The paced loops stop at a backlog of a second's worth of events: the engine's slots, the same budget. */
function sameBudget(rate: number) {
  return { ...pacedOptions(rate, seconds), maxBacklog: Math.max(100, rate) };
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
  const fields = rawEntryFields(example);
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
    const result = await paced(sameBudget(rate), () => {
      cork();
      return redis.xadd(stream, 'MAXLEN', '~', '100000', '*', ...fields);
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
    const result = await paced(sameBudget(rate), () => publisher.publishOrdersOrderCreated(data));
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

type SideName = 'raw' | 'rawCoalesced' | 'publisherLoop' | 'engine' | 'engineBatch';

const SIDES: Record<SideName, { readonly label: string; readonly probe: (rate: number) => Promise<Probe> }> =
  {
    raw: { label: 'raw XADD', probe: (rate) => rawProbe(rate) },
    rawCoalesced: { label: 'raw XADD, writes coalesced', probe: (rate) => rawProbe(rate, true) },
    publisherLoop: { label: 'generated publisher, paced loop', probe: publisherProbe },
    engine: { label: 'engine', probe: (rate) => engineProbe(rate, false) },
    engineBatch: { label: 'engine, batching publisher', probe: (rate) => engineProbe(rate, true) },
  };

/**
 * One side's ceiling search, stepped from outside so several run interleaved: from `start`, doubles while
 * held (halves while not), then bisects between the highest held and the lowest not held rate until they are
 * within an eighth of each other (at most four bisections).
 */
class CeilingSearch {
  readonly probes: Probe[] = [];
  #low = 0;
  #high = 0;
  #next: number | undefined;
  #bisections = 0;

  constructor(start: number) {
    this.#next = start;
  }

  get next(): number | undefined {
    return this.#next;
  }

  get ceiling(): number {
    return this.#low;
  }

  record(probe: Probe): void {
    this.probes.push(probe);
    const { rate, held } = probe;
    if (held) this.#low = Math.max(this.#low, rate);
    else this.#high = this.#high === 0 ? rate : Math.min(this.#high, rate);
    if (this.#high === 0) this.#next = rate * 2;
    else if (this.#low === 0) this.#next = rate >= 500 ? Math.round(rate / 2) : undefined;
    else if (this.#high - this.#low > this.#low / 8 && this.#bisections < 4) {
      this.#bisections++;
      this.#next = Math.round((this.#low + this.#high) / 2 / 50) * 50;
    } else this.#next = undefined;
  }
}

const sides = values.sides.split(',').map((name) => {
  if (!(name in SIDES)) throw new Error(`unknown side '${name}' (known: ${Object.keys(SIDES).join(', ')})`);
  return name as SideName;
});
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) / 100 : 0);

const before = sampleLoad();
interface RoundResult {
  readonly round: number;
  readonly order: readonly SideName[];
  readonly load: { readonly before: LoadSample; readonly after: LoadSample };
  readonly ceilings: Readonly<Record<SideName, number>>;
  readonly ratiosToRaw: Readonly<Record<string, number>>;
  readonly probes: Readonly<Record<string, readonly Probe[]>>;
}
const roundResults: RoundResult[] = [];
const starts = new Map<SideName, number>(sides.map((side) => [side, 4000]));
for (let round = 0; round < rounds; round++) {
  const roundBefore = sampleLoad();
  const order = sides.map((_, i) => sides[(i + round) % sides.length]!);
  const searches = new Map(order.map((side) => [side, new CeilingSearch(starts.get(side)!)]));
  for (;;) {
    const pending = order.filter((side) => searches.get(side)!.next !== undefined);
    if (pending.length === 0) break;
    for (const side of pending) {
      const search = searches.get(side)!;
      const p = await SIDES[side].probe(search.next!);
      search.record(p);
      console.error(
        `round ${round + 1}, ${SIDES[side].label}: ${p.rate}/s ${p.held ? 'held' : 'not held'} (achieved ${p.achieved.toFixed(0)}/s, late or dropped ${(p.lateOrDropped * 100).toFixed(2)} %, p99 ${p.p99Ms?.toFixed(1)} ms)`,
      );
    }
  }
  const ceilings = Object.fromEntries(order.map((side) => [side, searches.get(side)!.ceiling])) as Record<
    SideName,
    number
  >;
  // The next round starts each search at this round's ceiling: fewer probes far below it.
  for (const side of sides) starts.set(side, Math.max(1000, ceilings[side]));
  const ratios = Object.fromEntries(
    sides.filter((side) => side !== 'raw').map((side) => [side, ratio(ceilings[side], ceilings.raw ?? 0)]),
  );
  const entry: RoundResult = {
    round: round + 1,
    order,
    load: { before: roundBefore, after: sampleLoad() },
    ceilings,
    ratiosToRaw: ratios,
    probes: Object.fromEntries(order.map((side) => [side, searches.get(side)!.probes])),
  };
  console.error(`round ${round + 1}: ${JSON.stringify({ ceilings, ratiosToRaw: ratios })}`);
  roundResults.push(entry);
}

const medianCeilings = Object.fromEntries(
  sides.map((side) => [side, median(roundResults.map((r) => r.ceilings[side]))]),
);
const medianRatios = Object.fromEntries(
  sides
    .filter((side) => side !== 'raw')
    .map((side) => [side, median(roundResults.map((r) => r.ratiosToRaw[side] ?? 0))]),
);
// The latency the engine adds: the raw loop and the engine at half the engine's median ceiling (or at
// --latency-at), from due; three pairs interleaved, the median of each side's p50 and p99.
const engineSide: SideName = sides.includes('engine') ? 'engine' : 'engineBatch';
const half = values['latency-at']
  ? Number(values['latency-at'])
  : Math.max(100, Math.round((medianCeilings[engineSide] ?? 0) / 2 / 50) * 50);
const latencyProbes: { raw: Probe[]; engine: Probe[] } = { raw: [], engine: [] };
for (let pair = 0; pair < 3; pair++) {
  latencyProbes.raw.push(await rawProbe(half));
  latencyProbes.engine.push(await engineProbe(half, engineSide === 'engineBatch'));
}
const medianOf = (probes: readonly Probe[], key: 'p50Ms' | 'p99Ms') =>
  median(probes.map((probe) => probe[key] ?? Number.NaN));
const addedLatency = {
  rate: half,
  side: engineSide,
  raw: { p50Ms: medianOf(latencyProbes.raw, 'p50Ms'), p99Ms: medianOf(latencyProbes.raw, 'p99Ms') },
  engine: { p50Ms: medianOf(latencyProbes.engine, 'p50Ms'), p99Ms: medianOf(latencyProbes.engine, 'p99Ms') },
  probes: latencyProbes,
};
console.error(
  `added latency at ${half}/s: ${JSON.stringify({ raw: addedLatency.raw, engine: addedLatency.engine })}`,
);
const after = sampleLoad();

const result = {
  benchmark: 'load-engine-ceiling',
  at: new Date().toISOString(),
  machine: machineInfo(),
  load: { before, after },
  seconds,
  rounds,
  median: { ceilings: medianCeilings, ratiosToRaw: medianRatios },
  addedLatency,
  perRound: roundResults,
};
console.log(JSON.stringify(result, null, 2));
if (values.out) await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
