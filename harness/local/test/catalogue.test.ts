/**
 * The harness can fail on real brokers too: broken consumers of the catalogue are caught on Redis Streams and on
 * RabbitMQ (the machine's brokers, `--brokers local`) within 200 runs, with a shrunk counterexample of at most 5
 * steps and an invariant the entry names. A real run takes a few hundred milliseconds and shrinking replays dozens
 * of them, so `npm test` runs two entries per broker (a broken idempotency store, a broken dead letter);
 * HARNESS_CATALOGUE_ALL=1 runs the whole catalogue, on Dapr too (the README's table, about 15 minutes),
 * HARNESS_CATALOGUE_TRANSPORTS=dapr,... picks the transports, and HARNESS_CATALOGUE_TABLE=FILE appends one JSON
 * line per entry with its figures.
 */
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../catalogue/index.ts';
import { runSuite } from '../../engine/suite.ts';
import type { SuiteTarget } from '../../engine/types.ts';
import { REAL_FAULTS, REAL_TIME_SCALE, realBackend } from '../../real/suite.ts';
import { platformTarget } from '../../test/targets.ts';
import { localBrokers } from '../provider.ts';

const seed = Number(process.env.HARNESS_CATALOGUE_SEED ?? 11);
const QUICK = ['process-then-mark', 'dead-letter-without-reason'];
const entries = CATALOGUE.filter(
  (entry) => process.env.HARNESS_CATALOGUE_ALL === '1' || QUICK.includes(entry.name),
);
const table = process.env.HARNESS_CATALOGUE_TABLE;

// Dapr (the fake daprd as the broker) joins with the whole catalogue; HARNESS_CATALOGUE_TRANSPORTS picks some.
const TRANSPORTS = ['redis-streams', 'rabbitmq', 'dapr'] as const;
const chosen = process.env.HARNESS_CATALOGUE_TRANSPORTS?.split(',') ?? [
  'redis-streams',
  'rabbitmq',
  ...(process.env.HARNESS_CATALOGUE_ALL === '1' ? ['dapr'] : []),
];
const transports = TRANSPORTS.filter((transport) => chosen.includes(transport));

describe.each(transports)('catalogue of broken consumers on %s (local brokers)', (transport) => {
  it.each(entries.map((entry) => [entry.name, entry] as const))(
    '%s is caught within 200 runs with a counterexample of at most 5 steps',
    async (_name, entry) => {
      const target: SuiteTarget = { ...(await platformTarget(entry.target)), transport };
      await using brokers = await localBrokers().start(
        new Set(transport === 'rabbitmq' ? ['redis', 'rabbitmq'] : ['redis']),
      );
      const started = performance.now();
      const result = await runSuite(realBackend('local'), brokers, target, {
        faults: REAL_FAULTS,
        runs: 200,
        seed,
        variant: entry.name,
        timeScale: REAL_TIME_SCALE,
      });
      const failure = result.failure;
      if (table) {
        const line = {
          transport,
          variant: entry.name,
          caught: !result.ok,
          runs: result.runs,
          shrinks: result.shrinks,
          steps: failure?.steps.length,
          text: failure?.text,
          invariants: [...new Set(failure?.violations.map((violation) => violation.invariant))],
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
    240_000,
  );
});
