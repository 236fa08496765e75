/**
 * Generation speed, whole process, side by side in one run. eventwire is timed as users run it: the package
 * built, packed and installed into a new project (bench/lib/installed-cli.ts), its bundled CLI run without this
 * repository's source condition.
 *   - eventwire generate over all of asyncapi/ into an empty output folder, cold: every on-disk cache empty
 *     (EVENTWIRE_CACHE_DIR a new empty folder per run, which holds Node's compile cache too; NODE_COMPILE_CACHE
 *     unset), as on a fresh CI machine;
 *   - the same cold run from this checkout's TypeScript sources (`npm run generate`: Node strips their types);
 *   - the same cold run validating with the AsyncAPI parser (EVENTWIRE_VALIDATION=parser: how eventwire
 *     validated before it shipped its own validators), and the parser with its default rulesets alone
 *     loading and validating the same documents (bench/lib/parser-floor.ts); these four interleaved, round
 *     by round, each with its wall and CPU time;
 *   - the same with warm caches (the folder of earlier runs: verdicts, outputs, V8 code cache, which a machine's
 *     second run writes);
 *   - again over its own output (nothing changed), warm caches;
 *   - eventwire generate --watch, time from a one-file edit to the regenerated output on disk, and to the run's
 *     report once the edit is validated (each edit new, so no cached verdict answers it)
 *   - @asyncapi/modelina TypeScript models of the same documents (one process for all documents)
 *   - @asyncapi/generator with the markdown template (one process for all documents)
 * Usage: npm run bench:generate [-- --runs N]. The ecosystem tools live in bench/ecosystem (installed on demand).
 * Results: printed as a table and written to bench/results/generate.json.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { installedCli, installedEnv } from './lib/installed-cli.ts';
import { sampleLoad } from './lib/machine.ts';
import { ensureEcosystem } from './lib/ecosystem.ts';
import { interleave, type ProcessRun, repeat, timeProcess, timeProcessCpu } from './lib/process.ts';
import { round, type Summary, summarize } from './lib/stats.ts';
import { measureWatch } from './lib/watch.ts';

const repo = resolve(import.meta.dirname, '..');
const node = process.execPath;
const sourceCli = join(repo, 'cli/bin.ts');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
const scratch = join(repo, '.tmp/bench-generate');

async function contractFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const docs: string[] = [];
  for (const name of names) {
    if (/^asyncapi:/m.test(await readFile(join(dir, name), 'utf8'))) docs.push(join(dir, name));
  }
  return docs;
}

async function main(): Promise<void> {
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const contracts = join(scratch, 'asyncapi');
  await cp(join(repo, 'asyncapi'), contracts, { recursive: true });
  const docs = await contractFiles(contracts);
  const cli = await installedCli(repo);
  const before = sampleLoad();
  let run = 0;
  const generate = (out: string, env: NodeJS.ProcessEnv) =>
    timeProcess(node, [cli, 'generate', contracts, '--out', out, '--quiet'], repo, env);
  // Node's compile cache lives in eventwire's cache folder (cli/compile-cache.ts); NODE_COMPILE_CACHE would
  // override where, and turn it on in the first run, which a fresh CI machine does not do.
  const cachesIn = (dir: string, base = installedEnv(process.env)): NodeJS.ProcessEnv => {
    const { NODE_COMPILE_CACHE: _set, ...env } = base;
    return { ...env, EVENTWIRE_CACHE_DIR: join(dir, 'eventwire') };
  };

  const freshCaches = () => mkdtemp(join(scratch, 'caches-')).then(cachesIn);
  const coldRuns = await interleave(
    [
      {
        name: 'eventwire',
        run: async () =>
          timeProcessCpu(
            node,
            [cli, 'generate', contracts, '--out', join(scratch, `out-${run++}`), '--quiet'],
            repo,
            await freshCaches(),
          ),
      },
      {
        name: 'eventwire, from the sources',
        run: async () =>
          timeProcessCpu(
            node,
            [sourceCli, 'generate', contracts, '--out', join(scratch, `out-${run++}`), '--quiet'],
            repo,
            // The checkout's own environment: npm's NODE_OPTIONS carries the `eventwire-source` condition.
            cachesIn(await mkdtemp(join(scratch, 'caches-')), process.env),
          ),
      },
      {
        name: 'eventwire, parser validation',
        run: async () =>
          timeProcessCpu(
            node,
            [cli, 'generate', contracts, '--out', join(scratch, `out-${run++}`), '--quiet'],
            repo,
            { ...(await freshCaches()), EVENTWIRE_VALIDATION: 'parser' },
          ),
      },
      {
        name: 'parser alone',
        run: async () =>
          timeProcessCpu(node, [join(repo, 'bench/lib/parser-floor.ts'), ...docs], repo, await freshCaches()),
      },
    ],
    runs,
  );
  const summaryOf = (name: string) => {
    const samples = coldRuns.get(name);
    return samples ? summarize(samples.wall, samples.cpu) : summarize([]);
  };
  const cold = summaryOf('eventwire');
  const coldFromSources = summaryOf('eventwire, from the sources');
  const coldWithParser = summaryOf('eventwire, parser validation');
  const parserFloor = summaryOf('parser alone');
  const warmCaches = cachesIn(join(scratch, 'warm-caches'));
  // The first run on a machine creates the compile cache's folder, the second fills it.
  await generate(join(scratch, 'out-warm-up'), warmCaches);
  await generate(join(scratch, 'out-warm-up'), warmCaches);
  const warm = summarize(await repeat(runs, () => generate(join(scratch, `out-${run++}`), warmCaches)));
  const unchanged = summarize(await repeat(runs, () => generate(join(scratch, 'out-warm-up'), warmCaches)));
  // Two sessions, one validating edits itself and one with the parser, each edit timed (a session that fails is
  // reported in its rows).
  const watchSession = async (name: string, env: NodeJS.ProcessEnv) => {
    try {
      const samples = await measureWatch({
        node,
        cli,
        contracts,
        out: join(scratch, `out-watch-${name}`),
        // At least 15: a session's first two edits run code the process has not warmed up yet (~2x the rest),
        // and with 6 edits they set the median.
        edits: Math.max(15, runs * 2),
        cwd: repo,
        env,
      });
      return { written: summarize(samples.written), confirmed: summarize(samples.confirmed) };
    } catch (error) {
      const failed = `failed: ${error instanceof Error ? error.message : String(error)}`;
      return { written: failed, confirmed: failed };
    }
  };
  const watch = await watchSession('own', warmCaches);
  const watchParser = await watchSession('parser', { ...warmCaches, EVENTWIRE_VALIDATION: 'parser' });
  const watchWritten = watch.written;
  const watchConfirmed = watch.confirmed;
  const after = sampleLoad();

  const ecosystem = await ensureEcosystem(repo);
  const modelina = await baseline(runs, () =>
    timeProcess(node, [join(ecosystem, 'modelina.mjs'), join(scratch, 'modelina'), ...docs], ecosystem),
  );
  const generator = await baseline(Math.max(3, Math.ceil(runs / 2)), () =>
    timeProcess(node, [join(ecosystem, 'generator.mjs'), join(scratch, 'generator'), ...docs], ecosystem),
  );
  const over = (other: Summary | string) =>
    typeof other === 'string' ? null : round(other.medianMs / cold.medianMs, 2);
  const cpuOver = (other: Summary) =>
    other.cpuMedianMs && cold.cpuMedianMs ? round(other.cpuMedianMs / cold.cpuMedianMs, 2) : null;

  const rows: Array<[string, Summary | string]> = [
    ['eventwire generate (cold: empty caches, empty output)', cold],
    ['eventwire generate (cold), from the TypeScript sources (this checkout)', coldFromSources],
    ['eventwire generate (cold), validating with the parser (EVENTWIRE_VALIDATION=parser)', coldWithParser],
    ['@asyncapi/parser with its default rulesets alone, validating the same documents (cold)', parserFloor],
    ['eventwire generate (warm caches, empty output)', warm],
    ['eventwire generate (warm caches, nothing changed)', unchanged],
    ['eventwire generate --watch (one-file edit to output written)', watchWritten],
    ['eventwire generate --watch (one-file edit to output validated and reported)', watchConfirmed],
    ['eventwire generate --watch validating with the parser (edit to output written)', watchParser.written],
    [
      'eventwire generate --watch validating with the parser (edit to output validated)',
      watchParser.confirmed,
    ],
    ['@asyncapi/modelina TypeScript models', modelina],
    ['@asyncapi/generator + markdown template', generator],
  ];
  const result = {
    machine: {
      cpus: cpus().length,
      node: process.version,
      loadAverage: { before: before.loadAverage, after: after.loadAverage },
      cpuReferenceMicros: { before: before.cpuReferenceMicros, after: after.cpuReferenceMicros },
    },
    documents: docs.length,
    results: Object.fromEntries(rows.map(([name, s]) => [name, s])),
    ratios: {
      generatorOverEventwireCold: over(generator),
      modelinaOverEventwireCold: over(modelina),
      parserValidationOverEventwireCold: over(coldWithParser),
      parserAloneOverEventwireCold: over(parserFloor),
      sourcesOverEventwireCold: over(coldFromSources),
      cpu: {
        sourcesOverEventwireCold: cpuOver(coldFromSources),
        parserValidationOverEventwireCold: cpuOver(coldWithParser),
        parserAloneOverEventwireCold: cpuOver(parserFloor),
      },
    },
  };
  await mkdir(join(repo, 'bench/results'), { recursive: true });
  await writeFile(join(repo, 'bench/results/generate.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nGeneration of ${docs.length} contract documents, whole process, ${runs} runs each:\n`);
  const load = (l: readonly number[]) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(
    `${cpus().length} CPUs; load average (1 5 15 min) before ${load(before.loadAverage)}, after ${load(after.loadAverage)}; ` +
      `CPU reference ${before.cpuReferenceMicros} -> ${after.cpuReferenceMicros} µs (bench/lib/cpu-reference.ts, lower is faster)\n`,
  );
  console.log(
    '| tool | median ms | p95 ms | min ms | CPU ms (median) |\n| --- | ---: | ---: | ---: | ---: |',
  );
  for (const [name, s] of rows) {
    console.log(
      typeof s === 'string'
        ? `| ${name} | failed: ${s} | | | |`
        : `| ${name} | ${s.medianMs} | ${s.p95Ms} | ${s.minMs} | ${s.cpuMedianMs ?? ''} |`,
    );
  }
  const ratio = (value: number | null) => (value === null ? 'n/a (did not run)' : `${value}x`);
  const { ratios } = result;
  console.log(
    `\nOver eventwire cold (wall; CPU): the sources ${ratio(ratios.sourcesOverEventwireCold)}; ${ratio(ratios.cpu.sourcesOverEventwireCold)}, eventwire validating with the parser ${ratio(ratios.parserValidationOverEventwireCold)}; ${ratio(ratios.cpu.parserValidationOverEventwireCold)}, ` +
      `the parser alone ${ratio(ratios.parserAloneOverEventwireCold)}; ${ratio(ratios.cpu.parserAloneOverEventwireCold)}, ` +
      `@asyncapi/generator ${ratio(ratios.generatorOverEventwireCold)}, modelina ${ratio(ratios.modelinaOverEventwireCold)}`,
  );
}

/** A baseline that cannot run (an incompatible install) is reported in its row, not fatal to the others. */
async function baseline(times: number, run: () => Promise<ProcessRun>): Promise<Summary | string> {
  try {
    return summarize(await repeat(times, run));
  } catch (error) {
    const lines = String(error instanceof Error ? error.message : error).split('\n');
    return lines.find((line) => /^\w*Error: /.test(line)) ?? lines[0] ?? 'unknown error';
  }
}

await main();
