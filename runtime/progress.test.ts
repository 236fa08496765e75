import { afterAll, describe, expect, it } from 'vitest';
import { progressContract } from './progress-contract.ts';
import { ProgressTracker } from './progress.ts';
import { deleteKeys, redisClient, uniqueName } from './test/support.ts';

const prefix = `${uniqueName('ew:progress')}:`;
const connections = Array.from({ length: 8 }, () => redisClient());
afterAll(async () => {
  await deleteKeys(connections[0]!, prefix);
  for (const connection of connections) connection.disconnect();
});

progressContract('ProgressTracker (Redis hash + Lua finish line)', () => ({
  trackers: (count) => connections.slice(0, count).map((redis) => new ProgressTracker(redis, { prefix })),
}));

describe('ProgressTracker on Redis', () => {
  it('sets a TTL on the record and on its set of counted items', async () => {
    const tracker = new ProgressTracker(connections[0]!, { prefix, ttlMs: 60_000 });
    await tracker.init('project-ttl', 2);
    await tracker.markItemDone('project-ttl', 'a');
    expect(await connections[0]!.pttl(`${prefix}project-ttl`)).toBeGreaterThan(50_000);
    expect(await connections[0]!.pttl(`${prefix}project-ttl:items`)).toBeGreaterThan(50_000);
  });
});
