/**
 * The key of the parser's verdict on a document: what the verdict can depend on. That is the document's own
 * text and, in other files, exactly the nodes its `$ref`s reach (followed transitively), not those files'
 * whole text: editing a service's `info` must not make every subscriber of its events validate again.
 *
 * The rest of a referenced file cannot change the verdict: the parser inlines referenced nodes only, and what
 * could make a whole file fail (YAML syntax, duplicate keys, a broken or remote `$ref` anywhere in it) is
 * checked before validation on every load, for every file a document reads (refs.ts).
 */
import { hashOf, VerdictCache } from './cache.ts';
import type { ContractFiles, Location } from './files.ts';
import type { Candidate } from './prepare.ts';
import { refsWithin } from './refs.ts';

export function verdictKey(files: ContractFiles, candidate: Candidate): string {
  const own = candidate.absPath;
  const reachedNodes: Array<readonly [string, string, string]> = [];
  const visited = new Set<string>();
  const queue: Location[] = [{ file: own, pointer: '' }];
  for (let at = queue.pop(); at !== undefined; at = queue.pop()) {
    const id = `${at.file}#${at.pointer}`;
    if (visited.has(id)) continue;
    visited.add(id);
    const reached = files.resolve(at);
    if (!reached) continue;
    // The document's own nodes are in its text, and every `$ref` in it is found from its root.
    if (reached.file === own && at.pointer !== '') continue;
    if (reached.file !== own) {
      reachedNodes.push([files.display(reached.file), reached.pointer, JSON.stringify(reached.node)]);
    }
    for (const { ref } of refsWithin(reached.node)) {
      const target = files.resolveRef(reached.file, ref);
      if (target.kind === 'target') queue.push({ file: target.file, pointer: target.pointer });
    }
  }
  reachedNodes.sort((a, b) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1));
  return hashOf(VerdictCache.environment(), files.root, files.display(own), candidate.text, reachedNodes);
}
