import { describe, expect, it } from 'vitest';
import { retryingFreezeTimeouts } from '../freeze-retry.ts';

const freezeTimeout = () =>
  new Error(
    '(HTTP code 500) server error - Cannot pause container 2ab3: OCI runtime pause failed: unable to freeze: unknown',
  );

/** A pause that fails with `errors` in turn, then succeeds; counts its calls. */
function pauseFailing(...errors: Error[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    pause: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return 'paused';
    },
  };
}

describe('pausing a container when runc cannot freeze it in time', () => {
  it('asks again after a freeze timeout, and resolves with the pause that worked', async () => {
    const docker = pauseFailing(freezeTimeout(), freezeTimeout());
    await expect(retryingFreezeTimeouts(docker.pause)).resolves.toBe('paused');
    expect(docker.calls).toBe(3);
  });

  it('gives up after the last attempt with the engine error', async () => {
    const docker = pauseFailing(freezeTimeout(), freezeTimeout(), freezeTimeout());
    await expect(retryingFreezeTimeouts(docker.pause, 3)).rejects.toThrow(/unable to freeze/);
    expect(docker.calls).toBe(3);
  });

  it('does not retry any other error', async () => {
    const docker = pauseFailing(new Error('(HTTP code 404) no such container'));
    await expect(retryingFreezeTimeouts(docker.pause)).rejects.toThrow(/no such container/);
    expect(docker.calls).toBe(1);
  });
});
