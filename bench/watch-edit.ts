/**
 * What one `--watch` edit costs, in one process, phase by phase: load the contracts and build the model, render
 * every emitter, compare with the output folder, write, then validate (as `generate --watch` does since it writes
 * before this thread validates). Three runs warm the process up, then each edit changes the title of one contract
 * and is timed, wall and CPU (`process.cpuUsage`, every thread of the process). Medians are printed.
 *
 *   node bench/watch-edit.ts [--edits 15] [--pairs 0] [--against DIR]
 *
 * `--against DIR` (another checkout of eventwire, with its node_modules) runs the same measurement on that code
 * too, `--pairs` times each, in alternating order, each in a process of its own: an A/B on a shared machine.
 * Add `--cpu-prof` to the node options to see where an edit's time goes.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sampleLoad } from './lib/machine.ts';

const { values } = parseArgs({
  options: {
    edits: { type: 'string', default: '15' },
    pairs: { type: 'string', default: '0' },
    against: { type: 'string' },
    repo: { type: 'string', default: resolve(import.meta.dirname, '..') },
  },
});
const edits = Number(values.edits);
const median = (samples: readonly number[]) =>
  [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN;

async function measure(repo: string): Promise<Record<string, number>> {
  const { stageModel } = await import(join(repo, 'generators/model/index.ts'));
  const { renderFiles } = await import(join(repo, 'generators/pipeline/render.ts'));
  const { planSync, applySync } = await import(join(repo, 'generators/pipeline/sync.ts'));
  const { allPlugins } = await import(join(repo, 'generators/emit/index.ts'));
  const { validationPool } = await import(join(repo, 'generators/parse/validation-pool.ts'));
  const scratch = await mkdtemp(join(tmpdir(), 'eventwire-watch-edit-'));
  try {
    const contracts = join(scratch, 'asyncapi');
    await cp(join(repo, 'asyncapi'), contracts, { recursive: true });
    process.env.EVENTWIRE_CACHE_DIR = join(scratch, 'cache');
    const file = join(contracts, 'analytics.yaml');
    const original = await readFile(file, 'utf8');
    const samples = new Map<string, number[]>();
    const record = (name: string, value: number) => samples.set(name, [...(samples.get(name) ?? []), value]);
    const once = async (timed: boolean) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const written = Promise.withResolvers<void>();
      const staged = await stageModel([contracts], { validateAfter: written.promise });
      const loaded = performance.now();
      const files = await renderFiles(staged.provisional, allPlugins, { outDir: 'out' });
      const rendered = performance.now();
      await applySync(await planSync(join(scratch, 'out'), files, 'out'));
      const cpuWritten = process.cpuUsage(cpu);
      const onDisk = performance.now();
      written.resolve();
      await staged.final;
      if (!timed) return;
      record('cpu to output ms', (cpuWritten.user + cpuWritten.system) / 1000);
      record('wall to output ms', onDisk - started);
      record('load + model ms', loaded - started);
      record('render ms', rendered - loaded);
      record('compare + write ms', onDisk - rendered);
      record('validation after ms', performance.now() - onDisk);
    };
    for (let i = 0; i < 3; i++) await once(false);
    for (let i = 0; i < edits; i++) {
      await writeFile(file, original.replace(/^(\s*title:.*)$/m, `$1 (edit ${i} ${Date.now()})`));
      await once(true);
    }
    await validationPool().close();
    return Object.fromEntries([...samples].map(([name, list]) => [name, median(list)]));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const pairs = Number(values.pairs);
if (values.against === undefined || pairs === 0) {
  console.log(JSON.stringify({ repo: values.repo, ...(await measure(values.repo)) }));
} else {
  const repos = [resolve(values.against), values.repo];
  console.log('before', JSON.stringify(sampleLoad()));
  for (let pair = 0; pair < pairs; pair++) {
    for (const repo of pair % 2 === 0 ? repos : [...repos].reverse()) {
      const args = [...process.execArgv, import.meta.filename, '--repo', repo, '--edits', String(edits)];
      process.stdout.write(execFileSync(process.execPath, args, { encoding: 'utf8' }));
    }
  }
  console.log('after', JSON.stringify(sampleLoad()));
}
