import { defineConfig } from 'vitest/config';

// Tests that talk to the real Redis, RabbitMQ and PostgreSQL isolate themselves with unique key prefixes,
// virtual hosts and schemas, so files may run in parallel on the machine's two cores.
export default defineConfig({
  test: {
    include: ['{cli,generators,runtime,ci,harness,bench,loadtest}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
