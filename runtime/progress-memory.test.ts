import { progressContract } from './progress-contract.ts';
import { MemoryProgressTracker } from './progress-memory.ts';

progressContract('MemoryProgressTracker', () => {
  const tracker = new MemoryProgressTracker();
  return { trackers: (count) => Array.from({ length: count }, () => tracker) };
});
