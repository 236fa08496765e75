import { defineConfig } from 'vitest/config';

/**
 * This repository runs its sources: `eventwire/runtime` and the package's other entries resolve to the `.ts`
 * files under the `eventwire-source` export condition instead of the build in dist/. The test files get it from
 * Vite's resolver; the processes they start (`node cli/bin.ts ...`, which may load generated code importing
 * `eventwire/runtime`) inherit it through NODE_OPTIONS, as npm scripts do from .npmrc.
 */
const SOURCE_CONDITION = '--conditions=eventwire-source';
if (!process.env.NODE_OPTIONS?.includes(SOURCE_CONDITION)) {
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, SOURCE_CONDITION].filter(Boolean).join(' ');
}

// Tests that talk to the real Redis, RabbitMQ and PostgreSQL isolate themselves with unique key prefixes,
// virtual hosts and schemas, so files may run in parallel on the machine's two cores.
export default defineConfig({
  resolve: { conditions: ['eventwire-source', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['eventwire-source', 'module', 'node', 'default'] } },
  test: {
    include: ['{cli,generators,runtime,ci,harness,bench,loadtest,package}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
