/**
 * The catalogue of broken consumers is caught in containers mode too (`--brokers containers`): throwaway brokers
 * in Docker, one Redis (and RabbitMQ) per transport for all its entries, every fault kind the mode has asked for
 * (`--faults all`: the real-broker kinds plus broker restarts, pauses and cut, reset and slowed connections; no
 * broker faults on Dapr, whose broker is the fake daprd in this process). Each entry is caught within 200 runs
 * with a counterexample of at most 5 steps and an invariant it names.
 *
 * `npm test` runs one entry per transport that no other containers test runs (harness-redis.test.ts already
 * catches process-then-mark): a broken idempotency store on Redis Streams, a broken retry limit on RabbitMQ.
 * HARNESS_CATALOGUE_ALL=1 runs all ten on all three transports (harness/README.md's table, with the time it
 * took); the other settings are in harness/test/real-catalogue.ts.
 */
import { ALL_FAULTS } from '../../engine/suite.ts';
import { describeRealCatalogue } from '../../test/real-catalogue.ts';
import { containersProvider } from '../provider.ts';

describeRealCatalogue({
  mode: 'containers',
  start: (needs) => containersProvider().start(needs),
  faults: new Set(ALL_FAULTS),
  quick: { 'redis-streams': ['check-then-act'], rabbitmq: ['dead-letter-without-reason'] },
  timeoutMs: 600_000,
});
