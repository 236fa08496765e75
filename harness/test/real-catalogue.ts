/**
 * The catalogue of broken consumers on real brokers, as one vitest suite per transport: each entry is caught
 * within 200 runs with a shrunk counterexample of at most 5 steps and an invariant the entry names. Shared by
 * local mode (the machine's brokers) and containers mode (throwaway brokers, broker faults on top), which differ
 * only in the brokers and the faults asked for.
 *
 * Environment: HARNESS_CATALOGUE_ALL=1 runs every entry (default: the mode's quick ones) on Dapr too;
 * HARNESS_CATALOGUE_TRANSPORTS=dapr,... picks the transports; HARNESS_CATALOGUE_TABLE=FILE appends one JSON line
 * per entry with its figures; HARNESS_CATALOGUE_SEED (11) the seed.
 */
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../catalogue/index.ts';
import { runSuite } from '../engine/suite.ts';
import type { BrokerKind, FaultKind, StartedBrokers, SuiteTarget } from '../engine/types.ts';
import { REAL_TIME_SCALE, realBackend } from '../real/suite.ts';
import { platformTarget } from './targets.ts';

export const CATALOGUE_TRANSPORTS = ['redis-streams', 'rabbitmq', 'dapr'] as const;
export type CatalogueTransport = (typeof CATALOGUE_TRANSPORTS)[number];

export interface RealCatalogueOptions {
  readonly mode: 'local' | 'containers';
  /** Starts the brokers a transport needs; one start serves every entry of that transport. */
  readonly start: (needs: ReadonlySet<BrokerKind>) => Promise<StartedBrokers>;
  readonly faults: ReadonlySet<FaultKind>;
  /** Entries `npm test` runs per transport, when HARNESS_CATALOGUE_ALL is not set. */
  readonly quick: Readonly<Partial<Record<CatalogueTransport, readonly string[]>>>;
  /** Per entry, search and shrinking. */
  readonly timeoutMs: number;
}

const all = process.env.HARNESS_CATALOGUE_ALL === '1';
const seed = Number(process.env.HARNESS_CATALOGUE_SEED ?? 11);
const table = process.env.HARNESS_CATALOGUE_TABLE;

export function describeRealCatalogue(options: RealCatalogueOptions): void {
  const chosen = process.env.HARNESS_CATALOGUE_TRANSPORTS?.split(',') ?? [
    'redis-streams',
    'rabbitmq',
    ...(all ? ['dapr'] : []),
  ];
  const transports = CATALOGUE_TRANSPORTS.filter((transport) => chosen.includes(transport));

  describe.each(transports)(`catalogue of broken consumers on %s (${options.mode} brokers)`, (transport) => {
    const quick = options.quick[transport] ?? [];
    const entries = CATALOGUE.filter((entry) => all || quick.includes(entry.name));
    let brokers: StartedBrokers | undefined;
    beforeAll(async () => {
      if (entries.length === 0) return;
      brokers = await options.start(new Set(transport === 'rabbitmq' ? ['redis', 'rabbitmq'] : ['redis']));
    }, 120_000);
    afterAll(async () => {
      await brokers?.[Symbol.asyncDispose]();
    }, 60_000);

    it.each(entries.map((entry) => [entry.name, entry] as const))(
      '%s is caught within 200 runs with a counterexample of at most 5 steps',
      async (_name, entry) => {
        const target: SuiteTarget = { ...(await platformTarget(entry.target)), transport };
        const started = performance.now();
        const result = await runSuite(realBackend(options.mode), brokers!, target, {
          faults: options.faults,
          runs: 200,
          seed,
          variant: entry.name,
          timeScale: REAL_TIME_SCALE,
        });
        const failure = result.failure;
        if (table) {
          const line = {
            mode: options.mode,
            transport,
            variant: entry.name,
            caught: !result.ok,
            runs: result.runs,
            shrinks: result.shrinks,
            steps: failure?.steps.length,
            text: failure?.text,
            invariants: [...new Set(failure?.violations.map((violation) => violation.invariant))],
            // Fault kinds that happened in the search's runs before the catch (not in shrinking).
            happened: result.coverage.filter((kind) => kind.runs > 0).map((kind) => kind.fault),
            seconds: Math.round((performance.now() - started) / 100) / 10,
          };
          appendFileSync(table, `${JSON.stringify(line)}\n`);
        }
        expect(result.ok, `${entry.name} was not caught in ${result.runs} runs`).toBe(false);
        expect(failure!.steps.length, failure!.text).toBeLessThanOrEqual(5);
        const caught = failure!.violations.map((violation) => violation.invariant);
        expect(
          caught.some((invariant) => entry.caughtBy.includes(invariant)),
          `${failure!.text}: ${caught} ${failure!.error ?? ''}`,
        ).toBe(true);
      },
      options.timeoutMs,
    );
  });
}
