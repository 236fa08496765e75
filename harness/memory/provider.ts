/** The memory mode's broker provider: nothing to start, nothing to isolate (every run has its own broker). */
import type { BrokerProvider, StartedBrokers } from '../engine/types.ts';

export const memoryBrokers: BrokerProvider = {
  mode: 'memory',
  async start(): Promise<StartedBrokers> {
    return {
      mode: 'memory',
      endpoints: {},
      async isolate(runId) {
        return { runId, async [Symbol.asyncDispose]() {} };
      },
      faults: {},
      async [Symbol.asyncDispose]() {},
    };
  },
};
