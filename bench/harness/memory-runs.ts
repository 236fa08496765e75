/**
 * How many property runs per second `eventwire test --brokers memory` does: generated schedules (every fault
 * kind) against order/onCartCheckedOut (the order service's own handler, which publishes two follow-ups),
 * through the generated consumer and the real runtime pipeline, each run checked. Target: >= 500 runs/s.
 *
 * Baseline, in the same run: the runtime alone doing the same work without the harness: for each schedule,
 * the same events published on the runtime's own in-memory transport to the same generated consumer and
 * handlers, drained on a virtual clock, no fault, no history, no check. The ratio is what the harness costs on
 * top of the deliveries themselves.
 *
 *   node bench/harness/memory-runs.ts [--rounds 3] [--seconds 3] [--json]
 */
import { resolve } from 'node:path';
import fc from 'fast-check';
import {
  MemoryIdempotencyStore,
  MemoryOrderingStore,
  MemoryTransport,
  prepareEvent,
  type Runtime,
  VirtualClock,
} from 'eventwire/runtime';
import { createHandlers, MemoryOrderBook } from '../../generated/order/handlers.ts';
import { createOrderPublisher, startOrderConsumer } from '../../generated/order/index.ts';
import { checkRun } from '../../harness/engine/check/index.ts';
import { planOf } from '../../harness/engine/plan.ts';
import { runPlan } from '../../harness/engine/run.ts';
import { intentsArbitrary, normalize, type ScheduleShape } from '../../harness/engine/schedule.ts';
import { ALL_FAULTS } from '../../harness/engine/suite.ts';
import type { SuiteSession, SuiteTarget } from '../../harness/engine/types.ts';
import { memoryBrokers } from '../../harness/memory/provider.ts';
import { memoryBackend } from '../../harness/memory/world.ts';
import { platformTarget } from '../../harness/test/targets.ts';
import { interleave, type RoundResult, roundSeconds, type Variant } from '../lib/rounds.ts';
import {
  type CommonArgs,
  parseCommon,
  row,
  runBenchmark,
  target as targetResult,
} from '../runtime/report.ts';

const SCHEDULES = 2000;

async function timed(seconds: number, one: (index: number) => Promise<void>): Promise<RoundResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let runs = 0;
  while (performance.now() - started < seconds * 1000) await one(runs++);
  const used = process.cpuUsage(cpu);
  return { events: runs, seconds: (performance.now() - started) / 1000, cpuMicros: used.user + used.system };
}

function harnessVariant(
  target: SuiteTarget,
  session: SuiteSession,
  shape: ScheduleShape,
  samples: unknown[][],
  seconds: number,
): Variant {
  return {
    name: 'eventwire test, memory mode (schedule, run, quiescence, check)',
    round: (index) =>
      timed(roundSeconds(seconds, index), async (run) => {
        const steps = normalize(samples[run % samples.length] as never, shape);
        const plan = planOf(target, steps, `bench-${run}`);
        await using driver = await session.startRun(plan);
        const quiescence = await runPlan(driver, plan);
        checkRun(target, plan, driver.history(), quiescence);
      }),
  };
}

/** The same events through the runtime alone: publish, deliver, handle, drain. */
function runtimeVariant(
  target: SuiteTarget,
  shape: ScheduleShape,
  samples: unknown[][],
  seconds: number,
): Variant {
  return {
    name: 'baseline: the same events, runtime alone (no faults, no history, no check)',
    round: (index) =>
      timed(roundSeconds(seconds, index), async (run) => {
        const steps = normalize(samples[run % samples.length] as never, shape);
        const plan = planOf(target, steps, `bench-${run}`);
        const clock = new VirtualClock();
        const transport = new MemoryTransport({ clock, recordPublished: false });
        const runtime: Runtime = {
          service: { name: 'order', version: '1.0.0' },
          transport,
          idempotency: new MemoryIdempotencyStore({ clock }),
          ordering: new MemoryOrderingStore(),
        };
        const handlers = createHandlers({
          publisher: createOrderPublisher(runtime),
          orders: new MemoryOrderBook(),
        });
        const consumer = await startOrderConsumer(runtime, handlers, { clock });
        const publisher: Runtime = { ...runtime, service: { name: 'eventwire-test', version: '1.0.0' } };
        const accept = Object.assign((_: unknown): _ is unknown => true, { errors: null });
        for (const event of plan.events.values()) {
          const prepared = prepareEvent(publisher, target.publication, accept, event.payload);
          await transport.publish(prepared.messages);
        }
        await transport.drain();
        await consumer.stop();
      }),
  };
}

export async function memoryRunsBenchmark(args: CommonArgs) {
  const target = await platformTarget('order/onCartCheckedOut');
  const shape: ScheduleShape = {
    spec: target.spec,
    faults: new Set(ALL_FAULTS),
    payloads: target.payloads.length,
    invalidPayloads: target.invalidPayloads.length,
  };
  // The same schedules for both variants, as fast-check generates them for a suite.
  const samples = fc.sample(intentsArbitrary(shape), { numRuns: SCHEDULES, seed: 1 }) as unknown[][];
  const brokers = await memoryBrokers.start(new Set());
  const session = await memoryBackend().openSuite(target, brokers, { timeScale: 1 });
  const [harness, baseline] = await interleave(args.rounds, [
    harnessVariant(target, session, shape, samples, args.seconds),
    runtimeVariant(target, shape, samples, args.seconds),
  ]);
  const perCpuSecond = harness!.cpuMicrosPerEvent ? Math.round(1e6 / harness!.cpuMicrosPerEvent) : 0;
  return {
    name: 'harness-memory-runs',
    title: 'eventwire test, memory mode: property runs per second',
    settings: {
      rounds: args.rounds,
      seconds: args.seconds,
      schedules: SCHEDULES,
      target: 'order/onCartCheckedOut',
    },
    rows: [row(baseline!, 'baseline'), row(harness!, 'runtime', undefined, baseline)],
    targets: [
      targetResult(
        '>= 500 property runs/s in memory mode',
        `${harness!.eventsPerSecond} runs/s (${perCpuSecond} per CPU-second of this process)`,
        harness!.eventsPerSecond >= 500,
      ),
    ],
  };
}

if (import.meta.main) {
  const args = parseCommon(3);
  const report = await runBenchmark(args, () => memoryRunsBenchmark(args));
  if (!args.json) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      resolve(import.meta.dirname, '../results/harness.json'),
      `${JSON.stringify(report, null, 2)}\n`,
    );
  }
  process.exit(0);
}
