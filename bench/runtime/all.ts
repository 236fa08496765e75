/**
 * Every runtime benchmark in one run, each in its own Node process (no JIT or GC state shared between them):
 *   publish-overhead   runtime publish cost per event, in-memory transport
 *   redis-publish      runtime publishers vs raw ioredis XADD            targets: 50k events/s, overhead <= 25%
 *   rabbitmq-publish   runtime vs raw amqplib with publisher confirms    target: 20k msg/s
 *   redis-consume      runtime consumer vs hand-written and raw XREADGROUP/XACK
 *                                                                     targets: 15k events/s, >= 0.75x hand-written
 *   consume-latency    publish-to-consumer latency at 50% of the consumer's max from redis-consume, with the
 *                      hand-written consumer                             target: p95 <= 2x hand-written
 *   rabbitmq-consume   runtime vs hand-written amqplib consumer, throughput and paced latency
 *                                                                     targets: >= 0.75x, p95 <= 2x hand-written
 *   publish-latency    latency at 50% of the max rate from redis-publish target: p95 < 10 ms
 *
 *   npm run bench:runtime [-- --rounds 3]
 *
 * Writes bench/results/runtime.json (every figure, the load average around each benchmark) and prints markdown.
 * Exit code 1 when a benchmark failed to run; missed targets are reported, not turned into a failure.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo, sampleLoad } from '../lib/machine.ts';
import { timeProcess } from '../lib/process.ts';
import { round } from '../lib/stats.ts';
import { VARIANT } from './redis-publish.ts';
import type { BenchmarkReport, Row } from './report.ts';

const repo = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = values.rounds ?? '3';

interface Failed {
  readonly name: string;
  readonly error: string;
}

async function runScript(name: string, extra: readonly string[] = []): Promise<BenchmarkReport | Failed> {
  const script = join(repo, 'bench/runtime', `${name}.ts`);
  process.stderr.write(`running ${name}...\n`);
  const run = await timeProcess(process.execPath, [script, '--json', '--rounds', rounds, ...extra], repo);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.code !== 0 || !last.startsWith('{')) {
    return {
      name,
      error: `exit ${run.code}: ${(run.stderr || run.stdout).trim().split('\n').slice(-5).join(' | ')}`,
    };
  }
  process.stderr.write(`  done in ${round(run.ms / 1000)} s\n`);
  return JSON.parse(last) as BenchmarkReport;
}

const isReport = (value: BenchmarkReport | Failed): value is BenchmarkReport => 'rows' in value;

function consumeMaxFrom(report: BenchmarkReport | Failed): string[] {
  if (!isReport(report)) return [];
  const consumer = report.rows.find((r) => r.variant.includes('Redis idempotency'));
  return consumer ? ['--consume-max', String(consumer.eventsPerSecond)] : [];
}

function maxRatesFrom(report: BenchmarkReport | Failed): string[] {
  if (!isReport(report)) return [];
  const { batch, callers } = report.settings;
  const batcher = report.rows.find((r) => r.variant === VARIANT.batcher(Number(batch)));
  const single = report.rows.find((r) => r.variant === VARIANT.publishEvent(Number(callers)));
  if (!batcher || !single) return [];
  return ['--batcher-max', String(batcher.eventsPerSecond), '--event-max', String(single.eventsPerSecond)];
}

const started = new Date();
const loadBefore = sampleLoad();
const results: (BenchmarkReport | Failed)[] = [];
results.push(await runScript('publish-overhead'));
const publish = await runScript('redis-publish');
results.push(publish);
results.push(await runScript('rabbitmq-publish'));
const consume = await runScript('redis-consume');
results.push(consume);
results.push(await runScript('consume-latency', consumeMaxFrom(consume)));
results.push(await runScript('rabbitmq-consume'));
results.push(await runScript('publish-latency', maxRatesFrom(publish)));
const loadAfter = sampleLoad();

const reports = results.filter(isReport);
const failures = results.filter((r): r is Failed => !isReport(r));
const targets = reports.flatMap((report) => report.targets.map((t) => ({ benchmark: report.name, ...t })));
const summary = {
  command: `node bench/runtime/all.ts --rounds ${rounds}`,
  startedAt: started.toISOString(),
  durationSeconds: round((Date.now() - started.getTime()) / 1000),
  machine: machineInfo(),
  load: { before: loadBefore, after: loadAfter },
  targets,
  benchmarks: reports,
  failures,
};
await mkdir(join(repo, 'bench/results'), { recursive: true });
await writeFile(join(repo, 'bench/results/runtime.json'), `${JSON.stringify(summary, null, 2)}\n`);

const cell = (value: number | undefined) => (value === undefined ? '' : String(value));
const latency = (r: Row) =>
  r.latency ? `${r.latency.p50Ms} / ${r.latency.p95Ms} / ${r.latency.p99Ms} (${r.latency.of})` : '';
const versus = (r: Row) =>
  r.vsBaseline
    ? `x${r.vsBaseline.ratio} (overhead ${r.vsBaseline.overheadPct}%)`
    : r.role === 'baseline'
      ? 'baseline'
      : '';

console.log(
  `\nRuntime benchmarks, ${summary.machine.cpus} CPUs, Node ${summary.machine.node}, ${rounds} rounds each (medians), ` +
    `load average ${loadBefore.loadAverage.join(' ')} at start, ${loadAfter.loadAverage.join(' ')} at end, ` +
    `CPU reference ${loadBefore.cpuReferenceMicros} µs at start, ${loadAfter.cpuReferenceMicros} µs at end ` +
    `(bench/lib/cpu-reference.ts; lower is faster), ${summary.durationSeconds} s\n`,
);
console.log(
  '| benchmark | variant | events/s | latency p50 / p95 / p99 ms | client CPU µs/event | vs baseline | load (1 min) | CPU ref µs |',
);
console.log('| --- | --- | ---: | --- | ---: | --- | ---: | ---: |');
for (const report of reports) {
  for (const r of report.rows) {
    console.log(
      `| ${report.name} | ${r.variant} | ${r.eventsPerSecond} | ${latency(r)} | ${cell(r.cpuMicrosPerEvent)} | ${versus(r)} | ` +
        `${report.load.before.loadAverage[0]} | ${report.load.before.cpuReferenceMicros} |`,
    );
  }
}
console.log('\n| benchmark | target | measured | result |\n| --- | --- | --- | --- |');
for (const t of targets)
  console.log(`| ${t.benchmark} | ${t.target} | ${t.measured} | ${t.pass ? 'pass' : 'FAIL'} |`);
for (const f of failures) console.log(`\nbenchmark ${f.name} did not run: ${f.error}`);
console.log('\nFull results: bench/results/runtime.json');
if (failures.length > 0) process.exitCode = 1;
