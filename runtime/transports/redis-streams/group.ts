/** Consumer-group lifecycle: create it the way Dapr does, and drop this consumer's name when it leaves clean. */
import type { StreamRef } from './stream-ref.ts';

/** `XGROUP CREATE <stream> <group> <start> MKSTREAM`; an existing group (BUSYGROUP) is fine. */
export async function ensureGroup(ref: StreamRef, startId: string): Promise<void> {
  try {
    await ref.commands.call('XGROUP', 'CREATE', ref.stream, ref.group, startId, 'MKSTREAM');
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
  }
}

/**
 * Deletes the consumer from the group if it holds no pending entries. Deleting a consumer deletes its pending
 * entries too, so one that still holds some (a retry in backoff at shutdown) stays until they are taken over.
 */
export async function releaseConsumer(ref: StreamRef): Promise<boolean> {
  const pending = await ref.commands.call('XPENDING', ref.stream, ref.group, '-', '+', 1, ref.consumer);
  if (!Array.isArray(pending) || pending.length > 0) return false;
  await ref.commands.call('XGROUP', 'DELCONSUMER', ref.stream, ref.group, ref.consumer);
  return true;
}
