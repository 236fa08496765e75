/**
 * The consumer pipeline's own CPU per delivery, in process: `processDelivery` over the order contract's
 * ~770-byte `orders.order.created` envelopes (generated validator, in-memory idempotency, prom-client metrics,
 * pino at `info` as createRuntime sets it up, a handler that does nothing), no transport and no broker. Beside it,
 * the floor: `JSON.parse` of the same bodies and the same generated validator, so "pipeline overhead" = runtime
 * row minus floor row.
 *
 *   node --conditions=eventwire-source --expose-gc bench/runtime/pipeline-overhead.ts [--rounds 8] [--events 20000]
 *        [--other-build DIR]   (another checkout's processDelivery, interleaved round by round with this one)
 *        [--logger info|debug|none]   (the pipeline's logger: pino at that level writing nowhere, or none)
 *
 * Deliveries are awaited one after another: the figure is CPU per delivery, not concurrency. Each round gives
 * every variant fresh event ids (the store never sees a duplicate) and the variants' order rotates per round.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bind } from '../../runtime/consume/bind.ts';
import { MemoryIdempotencyStore } from '../../runtime/idempotency/memory.ts';
import type { Delivery } from '../../runtime/transport.ts';
import { cpuReferenceMicros } from '../lib/cpu-reference.ts';
import {
  ORDER_CREATED,
  type OrderCreated,
  orderCreated,
  orderCreatedSubscription,
  validateOrderCreated,
} from './order-created.ts';
import { rawMessage } from './raw-envelope.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '8' },
    events: { type: 'string', default: '20000' },
    'other-build': { type: 'string' },
    logger: { type: 'string', default: 'info' },
  },
});
const rounds = Number(values.rounds);
const events = Number(values.events);

interface Build {
  readonly label: string;
  // biome-ignore lint/suspicious/noExplicitAny: another checkout's module, typed by its own sources
  readonly processDelivery: (delivery: Delivery, binding: any, deps: any) => Promise<{ kind: string }>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  readonly createEventMetrics: () => any;
  readonly logger: unknown;
}

async function loadBuild(dir: string, label: string): Promise<Build> {
  const load = (path: string) => import(new URL(path, `file://${resolve(dir)}/`).href);
  const [pipeline, metrics, logging] = await Promise.all([
    load('runtime/consume/pipeline.ts'),
    load('runtime/metrics.ts'),
    load('runtime/logging.ts'),
  ]);
  return {
    label,
    processDelivery: pipeline.processDelivery,
    createEventMetrics: metrics.createEventMetrics,
    // What createRuntime gives a service: pino at `info` (here writing nowhere).
    logger:
      values.logger === 'none'
        ? undefined
        : logging.createLogger({ level: values.logger, destination: { write() {} } }),
  };
}

function deliveries(count: number): Delivery[] {
  const spec = orderCreatedSubscription('bench.pipeline', 'bench-pipeline', 100);
  return Array.from({ length: count }, (_, index) => ({
    id: `${index}-0`,
    body: rawMessage(ORDER_CREATED, orderCreated(index)).body,
    headers: {},
    attempt: 1,
    source: spec.source,
    address: 'bench.pipeline',
  }));
}

type Variant = { readonly name: string; readonly run: (batch: Delivery[]) => Promise<void> };

function pipelineVariant(build: Build, round: number): Variant {
  const spec = orderCreatedSubscription('bench.pipeline', `bench-pipeline-${round}`, 100);
  let handled = 0;
  const binding = bind<OrderCreated>(spec, { [ORDER_CREATED]: validateOrderCreated }, async () => {
    handled++;
  });
  const deps = {
    idempotency: new MemoryIdempotencyStore(),
    metrics: build.createEventMetrics(),
    ...(build.logger ? { logger: build.logger } : {}),
  };
  return {
    name: `processDelivery${build.label}`,
    run: async (batch) => {
      for (const delivery of batch) {
        const outcome = await build.processDelivery(delivery, binding, deps);
        if (outcome.kind !== 'ack') throw new Error(`not acked: ${JSON.stringify(outcome)}`);
      }
      if (handled !== batch.length) throw new Error(`handled ${handled} of ${batch.length}`);
    },
  };
}

const floor: Variant = {
  name: 'JSON.parse + generated validator (floor)',
  run: async (batch) => {
    for (const delivery of batch) {
      const envelope = JSON.parse(delivery.body.toString('utf8'));
      if (!validateOrderCreated(envelope.data)) throw new Error('invalid');
    }
  },
};

/** Fresh event ids for every variant of every round (bodies differ only in their ids). */
function withFreshIds(batch: Delivery[]): Delivery[] {
  return batch.map((delivery) => {
    const body = JSON.parse(delivery.body.toString('utf8'));
    body.event_id = randomUUID();
    return { ...delivery, body: Buffer.from(JSON.stringify(body)) };
  });
}

async function main(): Promise<void> {
  const builds = [await loadBuild(resolve(import.meta.dirname, '../..'), '')];
  if (values['other-build']) builds.push(await loadBuild(values['other-build'], ' (other build)'));
  const base = deliveries(events);
  const results = new Map<string, number[]>();
  const ratios: number[] = [];
  const cpuRefs: number[] = [cpuReferenceMicros()];
  // One warm-up round, not recorded: every variant's code gets optimised first.
  for (let round = -1; round < rounds; round++) {
    const variants = [floor, ...builds.map((build) => pipelineVariant(build, round))];
    const rotated = variants.map((_, i) => variants[(i + Math.max(round, 0)) % variants.length] as Variant);
    const perRound = new Map<string, number>();
    for (const variant of rotated) {
      const batch = withFreshIds(base);
      // With --expose-gc, the garbage of building the batch (and of the variant before) is collected first.
      (globalThis as { gc?: () => void }).gc?.();
      const cpu = process.cpuUsage();
      await variant.run(batch);
      const used = process.cpuUsage(cpu);
      perRound.set(variant.name, (used.user + used.system) / batch.length);
    }
    if (round < 0) continue;
    for (const [name, micros] of perRound) results.set(name, [...(results.get(name) ?? []), micros]);
    if (builds.length > 1) {
      ratios.push(
        (perRound.get('processDelivery') ?? 0) / (perRound.get('processDelivery (other build)') ?? 1),
      );
    }
    process.stdout.write(
      `round ${round + 1}: ${[...perRound].map(([n, m]) => `${n} ${m.toFixed(2)}`).join(' | ')}\n`,
    );
  }
  cpuRefs.push(cpuReferenceMicros());
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  process.stdout.write(`\nCPU µs per delivery, median of ${rounds} rounds of ${events}:\n`);
  for (const [name, micros] of results) {
    process.stdout.write(
      `  ${name.padEnd(44)} ${median(micros).toFixed(2)}  (${Math.min(...micros).toFixed(2)}–${Math.max(...micros).toFixed(2)})\n`,
    );
  }
  if (ratios.length > 0) {
    process.stdout.write(
      `  this/other per round: ${ratios.map((r) => r.toFixed(3)).join(' ')}; median ${median(ratios).toFixed(3)}\n`,
    );
  }
  process.stdout.write(
    `CPU reference ${cpuRefs.map((r) => r.toFixed(1)).join(' → ')} µs; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
}

await main();
