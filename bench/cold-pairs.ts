/**
 * Two builds of the bundled CLI, cold, in interleaved pairs (order swapped each pair): wall, main-thread CPU
 * (`process.threadCpuUsage()` at exit) and process CPU (`process.cpuUsage()`), medians and per-pair ratios.
 * What a change to a cold run is judged by on a shared two-core machine, where only a pair's ratio means much.
 *
 *   node bench/cold-pairs.ts <base>/bundle/eventwire.js <new>/bundle/eventwire.js [generate|check] [pairs]
 *
 * Build each side into its own folder first (`build(dist)` of package/build.ts, as bench/lib/installed-cli.ts does).
 * The same build twice with different settings: PAIRS_BASE_ENV / PAIRS_NEW_ENV add variables to one side's
 * processes (`PAIRS_BASE_ENV=EVENTWIRE_VALIDATION=parser`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installedEnv } from './lib/installed-cli.ts';

const [baseCli, newCli, command = 'generate', pairsArg = '8'] = process.argv.slice(2);
if (!baseCli || !newCli || (command !== 'generate' && command !== 'check')) {
  console.error('usage: node bench/cold-pairs.ts <base cli> <new cli> [generate|check] [pairs]');
  process.exit(2);
}
const repo = resolve(import.meta.dirname, '..');
const sides = { base: resolve(baseCli), new: resolve(newCli) } as const;
type Side = keyof typeof sides;
type Run = { wall: number; main: number; process: number };
/** `A=1 B=2` as variables. */
const variables = (text = '') =>
  Object.fromEntries(
    text
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
const sideEnv: Record<Side, Record<string, string>> = {
  base: variables(process.env.PAIRS_BASE_ENV),
  new: variables(process.env.PAIRS_NEW_ENV),
};

// Loaded into each measured process: writes its CPU times at exit.
const probe = join(mkdtempSync(join(tmpdir(), 'eventwire-pairs-')), 'probe.mjs');
writeFileSync(
  probe,
  `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const t = process.threadCpuUsage(), p = process.cpuUsage();
  writeFileSync(process.env.EVENTWIRE_PAIRS_STATS, JSON.stringify({ main: (t.user + t.system) / 1000, process: (p.user + p.system) / 1000 }));
});
`,
);

function run(side: Side): Run {
  const folder = mkdtempSync(join(tmpdir(), 'eventwire-pair-'));
  const env = installedEnv(process.env);
  delete env.NODE_COMPILE_CACHE;
  const stats = join(folder, 'stats.json');
  const args =
    command === 'generate'
      ? [sides[side], 'generate', 'asyncapi', '--out', join(folder, 'out'), '--quiet']
      : [sides[side], 'check', 'asyncapi'];
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: repo,
    env: {
      ...env,
      ...sideEnv[side],
      EVENTWIRE_CACHE_DIR: join(folder, 'cache'),
      EVENTWIRE_PAIRS_STATS: stats,
      // A side's own NODE_OPTIONS (V8 flags, say) replace the inherited ones; the probe is added to either.
      NODE_OPTIONS: `${sideEnv[side].NODE_OPTIONS ?? env.NODE_OPTIONS ?? ''} --import ${probe}`.trim(),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wall = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`${side} exited ${result.status}: ${String(result.stderr).slice(0, 400)}`);
  const cpu = JSON.parse(readFileSync(stats, 'utf8')) as Omit<Run, 'wall'>;
  rmSync(folder, { recursive: true, force: true });
  return { wall, ...cpu };
}

const pairs = Number(pairsArg);
const runs: Record<Side, Run[]> = { base: [], new: [] };
const loads: number[] = [loadavg()[0]!];
for (let pair = 0; pair < pairs; pair++) {
  for (const side of pair % 2 === 0 ? (['base', 'new'] as const) : (['new', 'base'] as const))
    runs[side].push(run(side));
  loads.push(loadavg()[0]!);
}
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
for (const measure of ['wall', 'main', 'process'] as const) {
  const before = runs.base.map((r) => r[measure]);
  const after = runs.new.map((r) => r[measure]);
  const ratios = before.map((value, i) => after[i]! / value);
  console.log(
    `${command} ${measure}: ${median(before).toFixed(0)} -> ${median(after).toFixed(0)} ms median ` +
      `(pair ratio ${median(ratios).toFixed(3)}, new lower in ${ratios.filter((r) => r < 1).length}/${pairs}); ` +
      `best ${Math.min(...before).toFixed(0)} -> ${Math.min(...after).toFixed(0)}`,
  );
}
console.log(`load average ${loads.map((load) => load.toFixed(1)).join(' ')}`);
