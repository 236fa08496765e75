import { VirtualClock } from '../clock.ts';
import { idempotencyContract } from './contract.ts';
import { MemoryIdempotencyStore } from './memory.ts';

idempotencyContract('MemoryIdempotencyStore', () => {
  // One in-process map shared by the "instances", each with its own ownership, as one process's consumers.
  const clock = new VirtualClock();
  const shared = new MemoryIdempotencyStore({ clock });
  return {
    instances: (count) =>
      Array.from({ length: count }, (_, index) => (index === 0 ? shared : shared.asOwner())),
    wait: (ms) => clock.advance(ms),
  };
});
