/**
 * Containers mode: how long a broker container takes to be ready, and what a fault-heavy property costs.
 *
 * 1. Start, per broker: `startRedis`/`startRabbitMQ`/`startPostgres` (Testcontainers, the wait strategy, the
 *    fault proxy) until it resolves, against the bare engine in the same run (dockerode create + start, then
 *    polling the container's log for the same readiness line every 50 ms). Targets: Redis <= 1 s,
 *    PostgreSQL <= 3 s, RabbitMQ <= 10 s.
 * 2. Property: N runs (default 100) of one Redis Streams subscription (catalog -> search, Redis idempotency
 *    store) on one Redis container, each run publishing 5 events under one fault drawn by fast-check (crash
 *    restart, reset_peer, latency, proxy down, or none) and waiting until every acknowledged event is handled.
 *    Target: 100 runs in under 60 s.
 *
 * Usage: npm run bench:containers [-- --runs 5 --property-runs 100 --seed 1 --property-only]. Results:
 * bench/results/containers.json (not written with --property-only, which skips part 1). The property prints where
 * its time goes, per fault drawn: opening the world, publishing, the fault's own end, the wait, closing.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import type { ContainerBroker } from '../harness/containers/broker.ts';
import { dockerEngine } from '../harness/containers/engine.ts';
import { startPostgres } from '../harness/containers/postgres.ts';
import { startRabbitMQ } from '../harness/containers/rabbitmq.ts';
import { startRedis } from '../harness/containers/redis.ts';
import { type BrokerKind, resolveImages } from '../harness/containers/settings.ts';
import { RedisWorld } from '../harness/containers/test/redis-world.ts';
import { until } from '../harness/support/poll.ts';
import { machineInfo, sampleLoad } from './lib/machine.ts';
import { type Summary, summarize } from './lib/stats.ts';

const repo = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'property-runs': { type: 'string', default: '100' },
    'property-only': { type: 'boolean', default: false },
    // A fixed seed draws the same faults at the same events every time, so two builds compare run for run.
    seed: { type: 'string', default: '1' },
  },
});
const seed = Number(values.seed);
const runs = Number(values.runs);
const propertyRuns = Number(values['property-runs']);

interface StartCase {
  readonly kind: BrokerKind;
  readonly targetMs: number;
  readonly harness: () => Promise<ContainerBroker>;
  readonly port: number;
  readonly env: readonly string[];
  readonly ready: (log: string) => boolean;
}

const cases: readonly StartCase[] = [
  {
    kind: 'redis',
    targetMs: 1_000,
    harness: () => startRedis({ persistence: 'aof-always' }),
    port: 6379,
    env: [],
    ready: (log) => log.includes('Ready to accept connections'),
  },
  {
    kind: 'postgres',
    targetMs: 3_000,
    harness: () => startPostgres(),
    port: 5432,
    env: ['POSTGRES_PASSWORD=bench', 'POSTGRES_INITDB_ARGS=--no-sync'],
    ready: (log) => /init process complete[\s\S]*ready to accept connections/.test(log),
  },
  {
    kind: 'rabbitmq',
    targetMs: 10_000,
    harness: () => startRabbitMQ(),
    port: 5672,
    env: [],
    ready: (log) => log.includes('Server startup complete'),
  },
];

/** The bare engine: create and start the same image, poll its log for the readiness line. */
async function bareStart(kind: BrokerKind, spec: StartCase): Promise<number> {
  const docker = (await dockerEngine()).container.dockerode;
  const started = performance.now();
  const container = await docker.createContainer({
    Image: resolveImages()[kind].image,
    Env: [...spec.env],
    ExposedPorts: { [`${spec.port}/tcp`]: {} },
    HostConfig: { PortBindings: { [`${spec.port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '0' }] } },
  });
  try {
    await container.start();
    for (;;) {
      const log = (await container.logs({ stdout: true, stderr: true })).toString();
      if (spec.ready(log)) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await container.remove({ force: true, v: true });
  }
}

async function harnessStart(spec: StartCase): Promise<number> {
  const started = performance.now();
  const broker = await spec.harness();
  const ms = performance.now() - started;
  await broker[Symbol.asyncDispose]();
  return ms;
}

type Fault = 'restart' | 'reset' | 'latency' | 'down' | 'none';

/** Where a run's time goes: opening the world, publishing (the fault injected meanwhile), the wait, closing. */
const PHASES = ['open', 'publish', 'fault', 'handled', 'close'] as const;
type Phase = (typeof PHASES)[number];

interface PropertyResult {
  readonly runs: number;
  readonly ms: number;
  readonly faults: Record<Fault, number>;
  /** Total ms per phase, per fault drawn: which fault costs what, and in which phase. */
  readonly phases: Record<Fault, Record<Phase, number>>;
  /** The ten slowest runs: the fault, the event it came before, each phase's ms. */
  readonly slowest: readonly SlowRun[];
}

interface SlowRun {
  readonly fault: Fault;
  readonly at: number;
  readonly ms: number;
  readonly phases: Record<Phase, number>;
}

async function property(): Promise<PropertyResult> {
  const broker = await startRedis({ persistence: 'aof-always' });
  const faults: Record<Fault, number> = { restart: 0, reset: 0, latency: 0, down: 0, none: 0 };
  const zero = () => Object.fromEntries(PHASES.map((phase) => [phase, 0])) as Record<Phase, number>;
  const phases: Record<Fault, Record<Phase, number>> = {
    restart: zero(),
    reset: zero(),
    latency: zero(),
    down: zero(),
    none: zero(),
  };
  const runsSeen: SlowRun[] = [];
  const started = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Fault>('restart', 'reset', 'latency', 'down', 'none'),
        fc.integer({ min: 0, max: 4 }),
        async (fault, at) => {
          faults[fault]++;
          const spent = phases[fault];
          const runStart = performance.now();
          const own = zero();
          let mark = runStart;
          const lap = (phase: Phase) => {
            const now = performance.now();
            spent[phase] += now - mark;
            own[phase] = Math.round(now - mark);
            mark = now;
          };
          const world = new RedisWorld(broker, 'bench');
          try {
            await world.startConsumer();
            lap('open');
            let injected: Promise<void> = Promise.resolve();
            await world.publishStream(5, (i) => {
              if (i === at) injected = inject(broker, fault);
            });
            lap('publish');
            await injected;
            lap('fault');
            await until(
              'every acknowledged event handled',
              () => world.acknowledged.every((ack) => world.created.callsFor(ack.eventId).length > 0),
              30_000,
              10,
            );
            lap('handled');
          } finally {
            await world[Symbol.asyncDispose]();
            lap('close');
            runsSeen.push({ fault, at, ms: Math.round(performance.now() - runStart), phases: own });
          }
        },
      ),
      { numRuns: propertyRuns, seed },
    );
    for (const fault of Object.values(phases)) {
      for (const phase of PHASES) fault[phase] = Math.round(fault[phase]);
    }
    const slowest = runsSeen.sort((a, b) => b.ms - a.ms).slice(0, 10);
    return { runs: propertyRuns, ms: performance.now() - started, faults, phases, slowest };
  } finally {
    await broker[Symbol.asyncDispose]();
  }
}

async function inject(broker: ContainerBroker, fault: Fault): Promise<void> {
  const { proxy } = broker;
  if (fault === 'restart') await broker.restart({ kind: 'crash' });
  if (fault === 'reset') {
    proxy.addToxic('reset', { type: 'reset_peer', timeoutMs: 0 });
    await new Promise((r) => setTimeout(r, 20));
    proxy.removeToxic('reset');
  }
  if (fault === 'latency') {
    proxy.addToxic('latency', { type: 'latency', latencyMs: 50 });
    await new Promise((r) => setTimeout(r, 200));
    proxy.removeToxic('latency');
  }
  if (fault === 'down') {
    await proxy.disable();
    await new Promise((r) => setTimeout(r, 200));
    await proxy.enable();
  }
}

interface StartRow {
  readonly kind: BrokerKind;
  readonly image: string;
  readonly targetMs: number;
  readonly bare: Summary;
  readonly harness: Summary;
}

async function main(): Promise<void> {
  const before = sampleLoad();
  const rows: StartRow[] = [];
  for (const spec of values['property-only'] ? [] : cases) {
    const bare: number[] = [];
    const harness: number[] = [];
    // Interleaved, so both sides see the same machine.
    for (let i = 0; i < runs; i++) {
      bare.push(await bareStart(spec.kind, spec));
      harness.push(await harnessStart(spec));
    }
    rows.push({
      kind: spec.kind,
      image: resolveImages()[spec.kind].image,
      targetMs: spec.targetMs,
      bare: summarize(bare),
      harness: summarize(harness),
    });
  }
  const fault = await property();
  const after = sampleLoad();
  const report = {
    machine: machineInfo(),
    load: { before, after },
    start: rows,
    property: { seed, ...fault },
  };
  if (!values['property-only'])
    await writeFile(join(repo, 'bench/results/containers.json'), `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    `load ${before.loadAverage[0]} -> ${after.loadAverage[0]}, CPU reference ${before.cpuReferenceMicros} -> ${after.cpuReferenceMicros} µs`,
  );
  console.log(
    '| broker | image | target | bare engine median / p95 ms | harness median / p95 ms | harness / bare |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const ratio = row.harness.medianMs / row.bare.medianMs;
    console.log(
      `| ${row.kind} | ${row.image} | ${row.targetMs} | ${row.bare.medianMs} / ${row.bare.p95Ms} | ` +
        `${row.harness.medianMs} / ${row.harness.p95Ms} | ${ratio.toFixed(2)} |`,
    );
  }
  console.log(
    `property: ${fault.runs} runs (seed ${seed}) in ${(fault.ms / 1000).toFixed(1)} s (target 60 s); faults ${JSON.stringify(fault.faults)}`,
  );
  console.log(`| fault | runs | ${PHASES.join(' ms | ')} ms | ms per run |`);
  console.log(`| --- | ---: | ${PHASES.map(() => '---:').join(' | ')} | ---: |`);
  for (const [name, spent] of Object.entries(fault.phases) as [Fault, Record<Phase, number>][]) {
    const total = PHASES.reduce((sum, phase) => sum + spent[phase], 0);
    const perRun = fault.faults[name] > 0 ? Math.round(total / fault.faults[name]) : 0;
    console.log(
      `| ${name} | ${fault.faults[name]} | ${PHASES.map((p) => spent[p]).join(' | ')} | ${perRun} |`,
    );
  }
  console.log(`slowest runs: ${fault.slowest.map((run) => JSON.stringify(run)).join('\n  ')}`);
}

await main();
