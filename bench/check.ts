/**
 * `eventwire check` over all of asyncapi/, whole process, as users run it (the package's bundled CLI, built,
 * packed and installed into a new project by bench/lib/installed-cli.ts), side by side in one run with: the same cold check from this checkout's TypeScript
 * sources, the same cold check
 * validating with the AsyncAPI parser (EVENTWIRE_VALIDATION=parser, how eventwire validated before it shipped
 * its own validators), the parser with its default rulesets alone validating the same documents
 * (bench/lib/parser-floor.ts) — these four interleaved round by round, wall and CPU time — and the AsyncAPI
 * CLI: its trivial command (`asyncapi --version`) and its validation of the same documents (`asyncapi validate`).
 * Cold = empty caches (EVENTWIRE_CACHE_DIR a fresh folder each run, which holds Node's compile cache too;
 * NODE_COMPILE_CACHE unset); warm = the caches previous runs left, which is what a developer, or a CI job
 * restoring node_modules/.cache/eventwire, sees.
 * Usage: npm run bench:check [-- --runs N]. Results: bench/results/check.json and a table on stdout.
 */
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { installedCli, installedEnv } from './lib/installed-cli.ts';
import { ensureEcosystem } from './lib/ecosystem.ts';
import { sampleLoad } from './lib/machine.ts';
import { interleave, repeat, timeProcess, timeProcessCpu } from './lib/process.ts';
import { round, type Summary, summarize } from './lib/stats.ts';

const repo = resolve(import.meta.dirname, '..');
const node = process.execPath;
const sourceCli = join(repo, 'cli/bin.ts');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

async function main(): Promise<void> {
  await mkdir(join(repo, '.tmp'), { recursive: true });
  const cli = await installedCli(repo);
  const before = sampleLoad();
  // Cold: eventwire's cache folder, which holds Node's bytecode cache too (cli/compile-cache.ts), empty, as on a
  // fresh CI machine (the same as bench/generate.ts); warm: left by earlier runs. NODE_COMPILE_CACHE would
  // turn the bytecode cache on in a first run, which a fresh CI machine does not do.
  const { NODE_COMPILE_CACHE: _set, ...environment } = process.env;
  const freshCache = async (base = installedEnv(environment)) => ({
    ...base,
    EVENTWIRE_CACHE_DIR: await mkdtemp(join(repo, '.tmp/bench-cache-')),
  });
  const docPaths = (await readdir(join(repo, 'asyncapi')))
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((n) => join(repo, 'asyncapi', n));
  const coldRuns = await interleave(
    [
      { name: 'eventwire', run: async () => timeProcessCpu(node, [cli, 'check'], repo, await freshCache()) },
      {
        name: 'eventwire, from the sources',
        run: async () => timeProcessCpu(node, [sourceCli, 'check'], repo, await freshCache(environment)),
      },
      {
        name: 'eventwire, parser validation',
        run: async () =>
          timeProcessCpu(node, [cli, 'check'], repo, {
            ...(await freshCache()),
            EVENTWIRE_VALIDATION: 'parser',
          }),
      },
      {
        name: 'parser alone',
        run: async () =>
          timeProcessCpu(
            node,
            [join(repo, 'bench/lib/parser-floor.ts'), ...docPaths],
            repo,
            await freshCache(),
          ),
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
  const parserAlone = summaryOf('parser alone');
  const warmEnv = await freshCache();
  // The first run on a machine creates the compile cache's folder, the second fills it.
  await timeProcess(node, [cli, 'check'], repo, warmEnv);
  await timeProcess(node, [cli, 'check'], repo, warmEnv);
  const warm = summarize(await repeat(runs, () => timeProcess(node, [cli, 'check'], repo, warmEnv)));

  const ecosystem = await ensureEcosystem(repo);
  const asyncapi = join(ecosystem, 'node_modules/.bin/asyncapi');
  const env = { ...process.env, ASYNCAPI_METRICS: 'false', CI: 'true' };
  const version = summarize(await repeat(runs, () => timeProcess(asyncapi, ['--version'], ecosystem, env)));
  const docs = (await readdir(join(repo, 'asyncapi'))).filter((n) => n.endsWith('.yaml')).sort();
  const validateAll = async () => {
    const started = performance.now();
    for (const doc of docs) {
      // validate exits 1 on warnings-as-errors in some versions: only the time is measured here.
      await timeProcess(asyncapi, ['validate', join(repo, 'asyncapi', doc)], ecosystem, env);
    }
    return { ms: performance.now() - started, code: 0, stdout: '', stderr: '' };
  };
  const validate = summarize(await repeat(Math.max(2, Math.ceil(runs / 2)), validateAll));

  const rows: Array<[string, Summary]> = [
    ['eventwire check (cold: empty caches)', cold],
    ['eventwire check (cold), from the TypeScript sources (this checkout)', coldFromSources],
    ['eventwire check (cold), validating with the parser (EVENTWIRE_VALIDATION=parser)', coldWithParser],
    ['@asyncapi/parser with its default rulesets alone, validating the same documents (cold)', parserAlone],
    ['eventwire check (warm caches)', warm],
    ['asyncapi --version (AsyncAPI CLI, trivial command)', version],
    [`asyncapi validate, ${docs.length} documents one by one`, validate],
  ];
  const after = sampleLoad();
  const load = `${before.loadAverage.join(' ')} -> ${after.loadAverage.join(' ')}`;
  const cpuReference = `${before.cpuReferenceMicros} -> ${after.cpuReferenceMicros}`;
  const result = {
    loadAverage: { before: before.loadAverage, after: after.loadAverage },
    cpuReferenceMicros: { before: before.cpuReferenceMicros, after: after.cpuReferenceMicros },
    documents: docs.length,
    results: Object.fromEntries(rows),
    ratios: {
      parserValidationOverEventwireCold: round(coldWithParser.medianMs / cold.medianMs, 2),
      parserAloneOverEventwireCold: round(parserAlone.medianMs / cold.medianMs, 2),
      sourcesOverEventwireCold: round(coldFromSources.medianMs / cold.medianMs, 2),
      cpu: {
        sourcesOverEventwireCold: cpuRatio(coldFromSources, cold),
        parserValidationOverEventwireCold: cpuRatio(coldWithParser, cold),
        parserAloneOverEventwireCold: cpuRatio(parserAlone, cold),
      },
    },
  };
  await mkdir(join(repo, 'bench/results'), { recursive: true });
  await writeFile(join(repo, 'bench/results/check.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `\neventwire check over ${docs.length} documents, whole process (load average ${load}, ` +
      `CPU reference ${cpuReference} µs):\n`,
  );
  console.log(
    '| command | median ms | p95 ms | min ms | CPU ms (median) |\n| --- | ---: | ---: | ---: | ---: |',
  );
  for (const [name, s] of rows)
    console.log(`| ${name} | ${s.medianMs} | ${s.p95Ms} | ${s.minMs} | ${s.cpuMedianMs ?? ''} |`);
  const { ratios } = result;
  console.log(
    `\nOver eventwire check cold (wall; CPU): the sources ${ratios.sourcesOverEventwireCold}x; ${ratios.cpu.sourcesOverEventwireCold}x, validating with the parser ${ratios.parserValidationOverEventwireCold}x; ${ratios.cpu.parserValidationOverEventwireCold}x, ` +
      `the parser alone ${ratios.parserAloneOverEventwireCold}x; ${ratios.cpu.parserAloneOverEventwireCold}x`,
  );
}

function cpuRatio(other: Summary, base: Summary): number | null {
  return other.cpuMedianMs && base.cpuMedianMs ? round(other.cpuMedianMs / base.cpuMedianMs, 2) : null;
}

await main();
