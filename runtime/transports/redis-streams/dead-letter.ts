/**
 * Dead-lettering: XADD the entry to the dead-letter stream with why and after how many attempts, then XACK it.
 * On a single Redis both run in one MULTI; on a cluster the two keys may hash to different slots, so they are
 * only pipelined there (a crash in between can then duplicate a dead letter, never lose one).
 */
import { type DeadLetterDetails, type DecodedEntry, deadLetterFields, trimArgs } from './layout.ts';
import type { StreamRef } from './stream-ref.ts';

export interface DeadLetterTarget {
  readonly stream: string;
  readonly maxLenApprox: number;
  readonly isCluster: boolean;
}

export async function deadLetter(
  ref: StreamRef,
  target: DeadLetterTarget,
  id: string,
  entry: DecodedEntry,
  details: Omit<DeadLetterDetails, 'originalId' | 'originalStream' | 'group'>,
): Promise<void> {
  const fields = deadLetterFields(entry, {
    ...details,
    originalId: id,
    originalStream: ref.stream,
    group: ref.group,
  });
  const batch = target.isCluster ? ref.commands.pipeline() : ref.commands.multi();
  batch.call('XADD', target.stream, ...trimArgs(target.maxLenApprox), '*', ...fields);
  batch.call('XACK', ref.stream, ref.group, id);
  const results = (await batch.exec()) ?? [];
  if (results.length === 0) throw new Error('the dead-letter transaction was discarded');
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}
