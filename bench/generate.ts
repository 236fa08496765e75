/**
 * Generation speed, whole process, side by side in one run:
 *   - eventwire generate, cold (empty output folder) over all of asyncapi/
 *   - eventwire generate --watch, time from a one-file edit to the regenerated output
 *   - @asyncapi/modelina TypeScript models of the same documents (one process for all documents)
 *   - @asyncapi/generator with the markdown template (one process for all documents)
 * Usage: npm run bench:generate [-- --runs N]. The ecosystem tools live in bench/ecosystem (installed on demand).
 * Results: printed as a table and written to bench/results/generate.json.
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureEcosystem } from './lib/ecosystem.ts';
import { repeat, timeProcess } from './lib/process.ts';
import { round, type Summary, summarize } from './lib/stats.ts';
import { measureWatch } from './lib/watch.ts';

const repo = resolve(import.meta.dirname, '..');
const node = process.execPath;
const cli = join(repo, 'generators/cli/bin.ts');
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
  let run = 0;

  const cold = summarize(
    await repeat(runs, () =>
      timeProcess(
        node,
        [cli, 'generate', contracts, '--out', join(scratch, `out-${run++}`), '--quiet'],
        repo,
      ),
    ),
  );
  const unchanged = summarize(
    await repeat(runs, () =>
      timeProcess(node, [cli, 'generate', contracts, '--out', join(scratch, 'out-0'), '--quiet'], repo),
    ),
  );
  const watch = summarize(
    await measureWatch({ node, cli, contracts, out: join(scratch, 'out-watch'), edits: runs * 2, cwd: repo }),
  );

  const ecosystem = await ensureEcosystem(repo);
  const modelina = summarize(
    await repeat(runs, () =>
      timeProcess(node, [join(ecosystem, 'modelina.mjs'), join(scratch, 'modelina'), ...docs], ecosystem),
    ),
  );
  const generator = summarize(
    await repeat(Math.max(3, Math.ceil(runs / 2)), () =>
      timeProcess(node, [join(ecosystem, 'generator.mjs'), join(scratch, 'generator'), ...docs], ecosystem),
    ),
  );

  const rows: Array<[string, Summary]> = [
    ['eventwire generate (cold, empty output)', cold],
    ['eventwire generate (nothing changed)', unchanged],
    ['eventwire generate --watch (one-file edit to output)', watch],
    ['@asyncapi/modelina TypeScript models', modelina],
    ['@asyncapi/generator + markdown template', generator],
  ];
  const result = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    documents: docs.length,
    results: Object.fromEntries(rows.map(([name, s]) => [name, s])),
    ratios: {
      generatorOverEventwireCold: round(generator.medianMs / cold.medianMs),
      modelinaOverEventwireCold: round(modelina.medianMs / cold.medianMs),
    },
  };
  await mkdir(join(repo, 'bench/results'), { recursive: true });
  await writeFile(join(repo, 'bench/results/generate.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nGeneration of ${docs.length} contract documents, whole process, ${runs} runs each:\n`);
  console.log('| tool | median ms | p95 ms | min ms |\n| --- | ---: | ---: | ---: |');
  for (const [name, s] of rows) console.log(`| ${name} | ${s.medianMs} | ${s.p95Ms} | ${s.minMs} |`);
  console.log(
    `\n@asyncapi/generator / eventwire cold: ${result.ratios.generatorOverEventwireCold}x; modelina / eventwire cold: ${result.ratios.modelinaOverEventwireCold}x`,
  );
}

await main();
