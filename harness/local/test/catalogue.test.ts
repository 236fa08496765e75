/**
 * The harness can fail on real brokers too: broken consumers of the catalogue are caught on Redis Streams and on
 * RabbitMQ (the machine's brokers, `--brokers local`) within 200 runs, with a shrunk counterexample of at most 5
 * steps and an invariant the entry names. A real run takes a few hundred milliseconds and shrinking replays dozens
 * of them, so `npm test` runs two entries per broker (a broken idempotency store, a broken dead letter);
 * HARNESS_CATALOGUE_ALL=1 runs the whole catalogue, on Dapr too (harness/README.md's table, about 15 minutes);
 * the other settings are in harness/test/real-catalogue.ts.
 */
import { REAL_FAULTS } from '../../real/suite.ts';
import { describeRealCatalogue } from '../../test/real-catalogue.ts';
import { localBrokers } from '../provider.ts';

const QUICK = ['process-then-mark', 'dead-letter-without-reason'];

describeRealCatalogue({
  mode: 'local',
  start: (needs) => localBrokers().start(needs),
  faults: REAL_FAULTS,
  quick: { 'redis-streams': QUICK, rabbitmq: QUICK },
  timeoutMs: 240_000,
});
