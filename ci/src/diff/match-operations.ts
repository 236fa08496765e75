/**
 * Pairs the operations of one service across two versions: by id first; then an id that disappeared while an
 * operation with the same action and channel appeared is a rename; then the same action and an overlapping
 * set of message names is the same operation moved to another address (reported as an address change, not as
 * removed + added). What is left was removed or added.
 */
import type { Operation } from '../../../generators/model/types.ts';

export interface OperationMatch {
  readonly pairs: readonly { readonly old: Operation; readonly new: Operation; readonly renamed: boolean }[];
  readonly removed: readonly Operation[];
  readonly added: readonly Operation[];
}

export function matchOperations(oldOps: readonly Operation[], newOps: readonly Operation[]): OperationMatch {
  const pairs: { old: Operation; new: Operation; renamed: boolean }[] = [];
  const newById = new Map(newOps.map((op) => [op.id, op]));
  const leftOld: Operation[] = [];
  const usedNew = new Set<Operation>();
  for (const op of oldOps) {
    const match = newById.get(op.id);
    if (match) {
      pairs.push({ old: op, new: match, renamed: false });
      usedNew.add(match);
    } else leftOld.push(op);
  }
  const leftNew = () => newOps.filter((op) => !usedNew.has(op));
  const pairBy = (same: (a: Operation, b: Operation) => boolean) => {
    for (const op of [...leftOld]) {
      const match = leftNew().find((candidate) => same(op, candidate));
      if (!match) continue;
      pairs.push({ old: op, new: match, renamed: true });
      usedNew.add(match);
      leftOld.splice(leftOld.indexOf(op), 1);
    }
  };
  pairBy((a, b) => a.action === b.action && a.channel.key === b.channel.key);
  pairBy((a, b) => {
    if (a.action !== b.action) return false;
    const names = new Set(a.messages.map((m) => m.name));
    return b.messages.some((m) => names.has(m.name));
  });
  return { pairs, removed: leftOld, added: leftNew() };
}
