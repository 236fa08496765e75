/**
 * `docker pause` freezes a container's cgroup, and runc gives up when a task will not freeze in time ("OCI runtime
 * pause failed: unable to freeze"): a broker thread in the middle of a system call or being created, seen once in
 * a chaos run on a loaded two-core machine. runc thaws the cgroup again when it gives up, so the pause can simply
 * be asked again; any other error is the caller's.
 */
const ATTEMPTS = 4;
const PAUSE_BETWEEN_MS = 50;

export function isFreezeTimeout(error: unknown): boolean {
  return error instanceof Error && /unable to freeze/i.test(error.message);
}

export async function retryingFreezeTimeouts<T>(freeze: () => Promise<T>, attempts = ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await freeze();
    } catch (error) {
      if (!isFreezeTimeout(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_MS * attempt));
    }
  }
}
